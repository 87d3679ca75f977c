#!/usr/bin/env bash
# Builds nektos/act (the GitHub Actions runner that bench/workflow-steps.mjs compares against) from the Go module proxy
# into bench/.tools/bin/act. Needs Go ≥ 1.24; no Docker image is pulled, the bench runs act with -self-hosted.
#
#   bash bench/tools/build-act.sh [version]      # default: the version pinned below
set -euo pipefail
version="${1:-${ACT_VERSION:-v0.2.89}}"
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$here/.tools/bin"
mkdir -p "$bin"
if [ -x "$bin/act" ] && "$bin/act" --version 2>/dev/null | grep -q "${version#v}"; then
  echo "act ${version} already built: $bin/act"
  exit 0
fi
# -mod=mod: resolve act's dependencies from its go.mod even if the environment asks for vendoring.
GOBIN="$bin" GOFLAGS="-mod=mod -buildvcs=false" go install -ldflags "-X main.version=${version#v}" "github.com/nektos/act@${version}"
"$bin/act" --version
