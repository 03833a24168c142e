/*
 * libefc — version information.
 *
 * The macros give the version of the headers a program was compiled with;
 * the functions give the version of the library it runs with. A program
 * can compare the two to detect a mismatched install.
 */
#ifndef EFC_VERSION_H
#define EFC_VERSION_H

#include "common.h"

#define EFC_VERSION_MAJOR  0
#define EFC_VERSION_MINOR  2
#define EFC_VERSION_PATCH  0
/** The version as a string, "MAJOR.MINOR.PATCH". */
#define EFC_VERSION_STRING "0.2.0"
/** The version as a number, MAJOR * 10000 + MINOR * 100 + PATCH. */
#define EFC_VERSION_NUMBER (EFC_VERSION_MAJOR * 10000 + EFC_VERSION_MINOR * 100 + EFC_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/** The library's version as a static string, for example "0.2.0". */
EFC_API const char *efc_version_string(void);

/** The library's version as MAJOR * 10000 + MINOR * 100 + PATCH. */
EFC_API unsigned efc_version_number(void);

#ifdef __cplusplus
}
#endif

#endif /* EFC_VERSION_H */
