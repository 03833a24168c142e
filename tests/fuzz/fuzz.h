/* Shared by the fuzz targets: the libFuzzer entry point, and checks that
 * abort (so that the fuzzer reports them) when an invariant breaks. */
#ifndef EFC_FUZZ_H
#define EFC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message when `ok` is false. */
void fuzz_check(int ok, const char *what);

#endif
