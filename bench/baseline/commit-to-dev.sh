#!/usr/bin/env bash
# The baseline of bench/commit-to-dev.mjs: commit → dev for the demo's api service the way a team without Slipway would
# script it on one machine. Poll the repository with `git ls-remote` every second (the demo's interval), fetch a new head
# into a bare mirror, `git archive` it into a workspace, run the api tests, copy the service into a release directory,
# start it on the other of two ports, curl /healthz until 200 (every 250 ms, as Slipway probes), then stop the old process.
#
# usage: commit-to-dev.sh <repo> <work-dir> <port-a> <port-b>
# Once a commit is live it writes <work-dir>/current as "<sha> <port> <pid>"; each phase appends "<epoch-ms> <phase> <sha>"
# to <work-dir>/phases.log. SIGTERM stops the live service and exits.
set -euo pipefail
export LC_ALL=C

repo=$1 work=$2 ports=("$3" "$4")
live_pid='' next=0
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

shutdown() {
  [[ -n $sleeper ]] && kill "$sleeper" 2>/dev/null
  [[ -n $starting_pid ]] && stop_pid "$starting_pid"
  [[ -n $live_pid ]] && stop_pid "$live_pid"
  exit 0
}
trap shutdown TERM INT

deploy() {
  local sha=$1
  local port=${ports[$next]}
  build_release "$sha"
  [[ -n $release_dir ]] || return 0
  start_healthy "$sha" "$release_dir" "$port" "$release_dir.log" ''
  [[ -n $starting_pid ]] || return 0
  [[ -n $live_pid ]] && stop_pid "$live_pid"
  live_pid=$starting_pid starting_pid='' next=$((1 - next))
  write_state "$work/current" "$sha" "$port" "$live_pid"
  phase live "$sha"
}

watch
