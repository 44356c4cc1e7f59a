#!/usr/bin/env bash
# Builds the benchmark's vendored dependency payload (site-packages of pinned Debian bookworm arm64 python packages), cached.
# Usage: tools/bench/make-payload.sh <cache-dir>   prints the payload directory (<cache-dir>/payload-<key>/site-packages)
set -Eeuo pipefail

CACHE="${1:?usage: make-payload.sh <cache-dir>}"
MIRROR="${TOOLCHAIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# A data agent's usual dependencies (~26 MB unpacked, without their tests); arch-specific ones are arm64 builds, like the image.
PACKAGES=(python3-pandas python3-pandas-lib python3-dateutil python3-jmespath)
KEY="$(printf '%s ' r2 bookworm arm64 "${PACKAGES[@]}" | sha256sum | cut -c1-12)"
OUT="$CACHE/payload-$KEY"
if [[ -s "$OUT/versions.txt" ]]; then
  echo "$OUT/site-packages"
  exit 0
fi

APT="$CACHE/apt-arm64"
apt_arm64() {
  apt-get -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
    -o Dir::State="$APT" -o Dir::State::Lists="$APT/lists" -o Dir::State::status=/dev/null \
    -o Dir::Cache="$APT/cache" -o Dir::Etc::sourcelist="$APT/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::Etc::preferencesparts="$APT/preferences.d" -o APT::Sandbox::User=root "$@"
}
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/preferences.d"
printf 'deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bookworm main\n' "$MIRROR" >"$APT/sources.list"
ls "$APT/lists/"*Packages* >/dev/null 2>&1 || apt_arm64 update >&2

tmp="$(mktemp -d "$CACHE/payload.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt_arm64 download "${PACKAGES[@]}" >&2)
mkdir -p "$tmp/root" "$tmp/out/site-packages"
for deb in "$tmp"/*.deb; do
  dpkg-deb -x "$deb" "$tmp/root"
  # shellcheck disable=SC2016 # dpkg-deb expands the ${Field} names itself
  dpkg-deb --showformat='${Package} ${Version} ${Architecture}\n' -W "$deb" >>"$tmp/out/versions.txt"
done
cp -a "$tmp/root/usr/lib/python3/dist-packages/." "$tmp/out/site-packages/"
# The generated .dockerignore keeps tests out of images; drop them here too. Deterministic: no byte-code, fixed times.
find "$tmp/out/site-packages" -depth -type d \( -name __pycache__ -o -name tests \) -exec rm -rf {} +
find "$tmp/out" -exec touch -h -d @0 {} +
rm -rf "$OUT"
mv "$tmp/out" "$OUT"
echo "$OUT/site-packages"
