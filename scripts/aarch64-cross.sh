#!/usr/bin/env bash
# Installs what the AArch64 ffi tests need (as root, through apt-get): qemu-user, and GCC 12
# for aarch64-linux-gnu with its C library. Debian's gcc-12-aarch64-linux-gnu conflicts with
# gcc-multilib (which the i386 tests need), so the cross packages are not installed but
# downloaded and unpacked into a cache directory ($RIVET_CROSS_DIR, default
# /var/cache/rivet-cross); their host libraries are installed normally. Idempotent: a second
# run only checks that the compiler is there. Prints the compiler's path on success.
set -euo pipefail

dir="${RIVET_CROSS_DIR:-/var/cache/rivet-cross}"
# A wrapper: the unpacked binutils find their own libopcodes and libbfd through it.
gcc="$dir/aarch64-linux-gnu-gcc"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ -x "$gcc" ] && command -v qemu-aarch64 >/dev/null 2>&1; then
    echo "$gcc"
    exit 0
fi

echo "aarch64-cross.sh: installing qemu-user and unpacking GCC 12 for aarch64 into $dir" >&2
as_root apt-get update -qq >&2
# qemu-user, and the host libraries the cross compiler and binutils link against.
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    qemu-user libisl23 libmpc3 libmpfr6 libgmp10 libzstd1 zlib1g libjansson4 libbinutils binutils-common \
    libcc1-0 >&2

packages=(
    gcc-12-aarch64-linux-gnu cpp-12-aarch64-linux-gnu gcc-12-aarch64-linux-gnu-base
    binutils-aarch64-linux-gnu libgcc-12-dev-arm64-cross libgcc-s1-arm64-cross
    libc6-dev-arm64-cross libc6-arm64-cross linux-libc-dev-arm64-cross
)
debs="$dir/debs"
as_root mkdir -p "$debs"
as_root chmod 755 "$dir"
as_root chmod 777 "$debs"
as_root chown "$(id -u)" "$dir" "$debs"
(cd "$debs" && as_root apt-get download -qq "${packages[@]}" >&2)
for deb in "$debs"/*.deb; do
    dpkg -x "$deb" "$dir"
done
rm -rf "$debs"
cat >"$gcc" <<WRAPPER
#!/bin/sh
LD_LIBRARY_PATH="$dir/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/usr/bin/aarch64-linux-gnu-gcc-12" "\$@"
WRAPPER
chmod +x "$gcc"

echo 'int main(void) { return 0; }' | "$gcc" -static -x c - -o "$dir/check" >&2
qemu-aarch64 "$dir/check"
rm -f "$dir/check"
echo "$gcc"
