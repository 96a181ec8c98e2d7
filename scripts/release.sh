#!/usr/bin/env bash
# Builds the release executables into one folder (default: release/):
#   corral-linux-x64     static, built natively
#   corral-linux-arm64   static, cross-built here with Debian's aarch64 toolchain
#   SHA256SUMS           for `sha256sum -c`
# Needs, besides the .NET 10 SDK: apt-get install clang zlib1g-dev gcc-aarch64-linux-gnu
#   binutils-aarch64-linux-gnu libc6-dev-arm64-cross (and qemu-user-static to run the arm64
#   one here). Both executables are the README's publish command with a runtime identifier:
#   the static settings live in src/Corral/Corral.csproj.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$(realpath -m "${1:-release}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"

publish() { dotnet publish src/Corral/Corral.csproj -c Release -r "$1" -o "$work/$1" "${@:2}"; }

publish linux-x64
# clang cross-compiles with --target=aarch64-linux-gnu and finds Debian's cross libc and
# libgcc under /usr/aarch64-linux-gnu and /usr/lib/gcc-cross; the aarch64 binutils link and strip.
publish linux-arm64 -p:CppCompilerAndLinker=clang -p:ObjCopyName=aarch64-linux-gnu-objcopy

cp "$work/linux-x64/corral" "$dest/corral-linux-x64"
cp "$work/linux-arm64/corral" "$dest/corral-linux-arm64"
(cd "$dest" && sha256sum corral-linux-x64 corral-linux-arm64 > SHA256SUMS)

# A release that does not start is no release: run both (arm64 through qemu when not native).
"$dest/corral-linux-x64" --version
if [ "$(uname -m)" = aarch64 ]; then "$dest/corral-linux-arm64" --version
elif command -v qemu-aarch64-static >/dev/null; then qemu-aarch64-static "$dest/corral-linux-arm64" --version
fi
ls -l "$dest"
