#!/bin/sh
# Run by `meson install`: refresh the dynamic linker's cache, so that the
# library just installed is found by programs linked with `pkg-config efc`.
# Only for a real install by root; a staged one (DESTDIR) is packaging.
if [ -z "${DESTDIR:-}" ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1; then
    ldconfig
fi
exit 0
