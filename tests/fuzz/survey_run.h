/* Reading a fuzzed survey with options chosen by two flag bytes, checking
 * the reader's invariants; shared by the survey targets. */
#ifndef EFC_FUZZ_SURVEY_RUN_H
#define EFC_FUZZ_SURVEY_RUN_H

#include <stddef.h>
#include <stdint.h>

#include <efc/efc.h>

/* flags[0..1] choose the options; data is the survey. */
void fuzz_survey_run(const efc_model *m, const uint8_t flags[2], const uint8_t *data, size_t size);

#endif
