#!/usr/bin/env python3
"""Write a C file holding the bytes of a file as an array (build-time tool).

usage: embed.py INPUT OUTPUT SYMBOL
Defines `const unsigned char SYMBOL[]` and `const size_t SYMBOL_size`.
"""
import os
import sys


def main() -> int:
    src, dst, symbol = sys.argv[1:4]
    with open(src, "rb") as f:
        data = f.read()
    lines = [
        f"/* Generated from {os.path.basename(src)} by tools/embed.py: do not edit. */",
        "#include <stddef.h>",
        f"extern const unsigned char {symbol}[];",
        f"extern const size_t {symbol}_size;",
        f"const unsigned char {symbol}[] = {{",
    ]
    for i in range(0, len(data), 16):
        lines.append("    " + ", ".join(f"0x{b:02x}" for b in data[i:i + 16]) + ",")
    lines.append("    0x00};")
    lines.append(f"const size_t {symbol}_size = {len(data)};")
    with open(dst, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
