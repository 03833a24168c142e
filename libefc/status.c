#include "efc/common.h"

const char *efc_strerror(efc_status status)
{
    switch (status) {
    case EFC_OK:
        return "success";
    case EFC_ERR_ARGUMENT:
        return "invalid argument";
    case EFC_ERR_NOMEM:
        return "out of memory";
    case EFC_ERR_IO:
        return "input/output error";
    case EFC_ERR_CSV:
        return "malformed CSV";
    case EFC_ERR_MODEL:
        return "invalid model";
    case EFC_ERR_VALUE:
        return "invalid value";
    case EFC_ERR_STATE:
        return "operation not allowed in this state";
    case EFC_ERR_NOT_FOUND:
        return "not found";
    case EFC_ERR_SURVEY:
        return "invalid survey";
    }
    return "unknown status";
}
