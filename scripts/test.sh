#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh Debian machine (as
# root, through apt-get), then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v lua5.4 >/dev/null 2>&1 || missing+=(lua5.4)
command -v luajit >/dev/null 2>&1 || missing+=(luajit)
# The ffi layout tests compile C for every target: gcc (with -m32) and clang are their oracles.
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v clang >/dev/null 2>&1 || missing+=(clang)
if ! echo 'int main(void) { return 0; }' | gcc -m32 -x c - -o /dev/null >/dev/null 2>&1; then
    missing+=(gcc-multilib)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
fi

# The AArch64 ffi tests run rivet's code under qemu-aarch64 against GCC for aarch64, which
# cannot be installed beside gcc-multilib: aarch64-cross.sh unpacks it into a cache.
if aarch64_gcc="$(scripts/aarch64-cross.sh)"; then
    export RIVET_AARCH64_GCC="$aarch64_gcc"
else
    echo "test.sh: could not set up the AArch64 toolchain; those tests will be skipped" >&2
fi

cargo test --workspace --jobs 2
