#include "quality_out.h"

#include <string.h>

void quality_out_flags(csv_out *w, unsigned flags)
{
    char buf[128] = "";
    for (unsigned bit = 1; bit && bit <= flags; bit <<= 1) {
        const char *name = (flags & bit) ? efc_enum_name(EFC_ENUM_ITEM_FLAG, (int)bit) : NULL;
        if (!name)
            continue;
        if (*buf)
            strncat(buf, "|", sizeof buf - strlen(buf) - 1);
        strncat(buf, name, sizeof buf - strlen(buf) - 1);
    }
    csv_out_text(w, buf);
}
