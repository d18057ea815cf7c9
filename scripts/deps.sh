#!/usr/bin/env bash
# deps.sh — make sure the Debian packages a target needs are installed.
# Usage: scripts/deps.sh build|test|bench|fuzz
# As root it installs what is missing with apt-get; otherwise it prints the one apt-get line to
# run and exits 1.
set -euo pipefail

build=(gcc make pkg-config libh2o-evloop-dev libsqlite3-dev libjansson-dev libsodium-dev libxlsxwriter-dev
	libzip-dev libxml2-dev libssl-dev libpq-dev)
test=(curl chromium sqlite3 libreoffice-calc postgresql)
bench=(wrk nginx-light sqlite3 postgresql)
fuzz=(clang libclang-rt-14-dev)

want=("${build[@]}")
case "${1:-build}" in
build) ;;
test) want+=("${test[@]}") ;;
bench) want+=("${bench[@]}") ;;
fuzz) want+=("${fuzz[@]}") ;;
*) echo "usage: $0 build|test|bench|fuzz" >&2; exit 2 ;;
esac
# node and npm: any install will do (Debian's nodejs/npm, or one already on the machine).
if [ "${1:-build}" = test ] || [ "${1:-build}" = bench ]; then
	command -v node >/dev/null 2>&1 || want+=(nodejs)
	command -v npm >/dev/null 2>&1 || want+=(npm)
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || true
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	echo "缺少依赖包 / missing packages. Run:" >&2
	echo "  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
