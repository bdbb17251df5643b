#!/usr/bin/env bash
# Builds the optional native kernels into $1 (run by Maven before the Java compile). Skips, with a note, where
# there is no C compiler or the machine is not x86-64: the Java kernels then run everywhere.
set -euo pipefail
out="$1"
src="$(cd "$(dirname "$0")" && pwd)"
cc="${CC:-cc}"
if [ "$(uname -m)" != x86_64 ] || ! command -v "$cc" >/dev/null 2>&1; then
  echo "sglang4j: no C compiler for x86-64 here; building without the native kernel (Java kernels only)"
  exit 0
fi
mkdir -p "$out"
# -O2 without -ffast-math: the kernel's float operations must stay exactly those of the Java kernel.
"$cc" -O2 -fPIC -shared -Wall -Wextra -Werror -o "$out/libsglang4j.so" "$src"/*.c
