#include "efc/version.h"

const char *efc_version_string(void)
{
    return EFC_VERSION_STRING;
}

unsigned efc_version_number(void)
{
    return EFC_VERSION_NUMBER;
}
