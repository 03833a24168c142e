#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

void fuzz_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}
