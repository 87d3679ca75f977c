#!/usr/bin/env bash
# The baseline of bench/commit-to-prod.mjs: commit → prod for the demo's api service through three environments, the
# way a team without Slipway would script it on one machine. It is commit-to-dev.sh with the deploy done three times:
# poll the repository with `git ls-remote` every second (the demo's interval), fetch a new head into a bare mirror,
# `git archive` it into a workspace, run the api tests once, copy the service into a release directory; then for dev,
# staging and prod in turn: start the release on the other of that environment's two ports, curl /healthz until 200
# (every 250 ms, as Slipway probes), stop the environment's old process. A failure stops the chain there.
#
# usage: commit-to-prod.sh <repo> <work-dir> <dev-port-a> <dev-port-b> <staging-port-a> <staging-port-b> <prod-port-a> <prod-port-b>
# Once a commit is live in an environment it writes <work-dir>/current-<env> as "<sha> <port> <pid>", and once it is
# live in prod also <work-dir>/current; each phase appends "<epoch-ms> <phase> <sha>" to <work-dir>/phases.log, the
# deploy phases as <env>-started, <env>-healthy and <env>-live. SIGTERM stops every live service and exits.
set -euo pipefail
export LC_ALL=C

repo=$1 work=$2
envs=(dev staging prod)
declare -A port_a=([dev]=$3 [staging]=$5 [prod]=$7) port_b=([dev]=$4 [staging]=$6 [prod]=$8)
declare -A live_pid=() next=()
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

shutdown() {
  [[ -n $sleeper ]] && kill "$sleeper" 2>/dev/null
  [[ -n $starting_pid ]] && stop_pid "$starting_pid"
  for env in "${envs[@]}"; do
    [[ -n ${live_pid[$env]:-} ]] && stop_pid "${live_pid[$env]}"
  done
  exit 0
}
trap shutdown TERM INT

# Starts release <rel> in <env>, waits for health and stops the old process; returns 1 when it never became healthy.
deploy_to() {
  local env=$1 sha=$2 rel=$3
  local port
  if [[ ${next[$env]:-0} == 0 ]]; then port=${port_a[$env]}; else port=${port_b[$env]}; fi
  start_healthy "$sha" "$rel" "$port" "$rel.$env.log" "$env-"
  [[ -n $starting_pid ]] || return 1
  [[ -n ${live_pid[$env]:-} ]] && stop_pid "${live_pid[$env]}"
  live_pid[$env]=$starting_pid starting_pid='' next[$env]=$((1 - ${next[$env]:-0}))
  write_state "$work/current-$env" "$sha" "$port" "${live_pid[$env]}"
  phase "$env-live" "$sha"
}

deploy() {
  local sha=$1
  build_release "$sha"
  [[ -n $release_dir ]] || return 0
  for env in "${envs[@]}"; do
    deploy_to "$env" "$sha" "$release_dir" || return 0
  done
  cp "$work/current-prod" "$work/current.tmp"
  mv "$work/current.tmp" "$work/current"
}

watch
