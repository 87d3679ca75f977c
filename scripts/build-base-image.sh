#!/usr/bin/env bash
# Builds the local base image slipway/node:20 (also tagged slipway/runner:latest, the Docker executor's default job
# image) without pulling anything: no registry is reachable on an air-gapped host or in CI. The root filesystem is
# the host's node binary and the shared libraries ldd lists, busybox-static as /bin/sh with its applets, bash with its
# libraries (GitHub Actions' default shell), the host's CA certificates, a one-line /etc/passwd and /etc/group, and /tmp.
#
# Idempotent and fast when nothing changed: the image carries a label with a hash of this script, the node version and
# the busybox version, and the script returns at once when the existing image has the same label.
# Needs: docker (a running daemon), node, busybox-static (apt-get install busybox-static), ldd.
set -euo pipefail

started=$(date +%s%N)
image=slipway/node:20
runner=slipway/runner:latest
# Debian's CLI matches Debian's dockerd; a newer CLI earlier on PATH works too for import, but prefer the matching one.
docker=$(command -v /usr/bin/docker || command -v docker || true)
[[ -n $docker ]] || { echo "build-base-image: docker is not installed (apt-get install docker.io)" >&2; exit 1; }
"$docker" info >/dev/null 2>&1 || { echo "build-base-image: the Docker daemon does not answer; start it: setsid dockerd -H unix:///var/run/docker.sock &" >&2; exit 1; }

node_bin=$(command -v node) || { echo "build-base-image: node is not on PATH" >&2; exit 1; }
busybox_bin=$(command -v busybox || true)
# Only the static build is self-contained; Debian's dynamic busybox package would need its libraries too.
if [[ -z $busybox_bin ]] || ldd "$busybox_bin" >/dev/null 2>&1; then
  echo "build-base-image: a static busybox is needed (apt-get install busybox-static)" >&2
  exit 1
fi
bash_bin=$(command -v bash)

elapsed() { echo "$((($(date +%s%N) - started) / 1000000)) ms"; }

fingerprint=$(
  {
    sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1
    "$node_bin" --version
    "$busybox_bin" 2>&1 | head -1
    "$bash_bin" --version | head -1
  } | sha256sum | cut -c1-16
)
current=$("$docker" image inspect -f '{{ index .Config.Labels "dev.slipway.base-image" }}' "$image" 2>/dev/null || true)
if [[ $current == "$fingerprint" ]]; then
  "$docker" tag "$image" "$runner"
  echo "$image is up to date (node $("$node_bin" --version)); tagged $runner; $(elapsed)"
  exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

# copy_with_libs FILE DEST: copies an executable to DEST inside the root, plus every library ldd lists at the same path
# (dereferenced, since the symlink targets would not exist in the image), including the dynamic loader.
copy_with_libs() {
  local file=$1 dest=$2 lib
  install -D -m 0755 "$file" "$root$dest"
  while read -r lib; do
    [[ -e $root$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done < <(ldd "$file" | grep -oE '/[^ ]+' | grep -v '^/$')
}

copy_with_libs "$node_bin" /usr/local/bin/node
copy_with_libs "$bash_bin" /bin/bash
install -D -m 0755 "$busybox_bin" "$root/bin/busybox"
# busybox --list-full gives each applet's usual path (bin/sh, usr/bin/awk, …); never replace bash or node.
while read -r applet; do
  [[ -e $root/$applet || -L $root/$applet ]] || { mkdir -p "$root/$(dirname "$applet")" && ln -s /bin/busybox "$root/$applet"; }
done < <("$busybox_bin" --list-full)

mkdir -p "$root/etc/ssl" "$root/tmp" "$root/root" "$root/usr/local/bin"
cp -rL /etc/ssl/certs "$root/etc/ssl/certs"
chmod 1777 "$root/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
# Names resolve through Docker's embedded DNS (service keys on the job network); files first, as glibc expects.
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"

tar -C "$root" -c . | "$docker" import \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  -c "LABEL dev.slipway.base-image=$fingerprint" \
  - "$image" >/dev/null
"$docker" tag "$image" "$runner"
echo "built $image and $runner (node $("$node_bin" --version), $(du -sh "$root" | cut -f1)) in $(elapsed)"
