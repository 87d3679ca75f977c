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
branch=main
poll_seconds=1
health_interval_seconds=0.25
health_timeout_seconds=30
mirror=$work/mirror.git
starting_pid='' sleeper='' last=''

phase() {
  local us=${EPOCHREALTIME/./}
  printf '%d %s %s\n' $((us / 1000)) "$1" "$2" >>"$work/phases.log"
}

# SIGTERM, then SIGKILL after 5 s.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in {1..100}; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

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
  (cd "$rel" && PORT=$port exec node src/server.mjs) >"$rel.$env.log" 2>&1 &
  starting_pid=$!
  phase "$env-started" "$sha"
  local deadline=$((SECONDS + health_timeout_seconds))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    if ! kill -0 "$starting_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      phase "$env-unhealthy" "$sha"
      stop_pid "$starting_pid"
      starting_pid=''
      return 1
    fi
    sleep "$health_interval_seconds"
  done
  phase "$env-healthy" "$sha"
  [[ -n ${live_pid[$env]:-} ]] && stop_pid "${live_pid[$env]}"
  live_pid[$env]=$starting_pid starting_pid='' next[$env]=$((1 - ${next[$env]:-0}))
  printf '%s %s %s\n' "$sha" "$port" "${live_pid[$env]}" >"$work/current-$env.tmp"
  mv "$work/current-$env.tmp" "$work/current-$env"
  phase "$env-live" "$sha"
}

deploy() {
  local sha=$1
  local ws=$work/workspaces/$sha rel=$work/releases/$sha
  phase seen "$sha"
  git --git-dir="$mirror" fetch -q "$repo" "+refs/heads/$branch:refs/heads/$branch"
  phase fetched "$sha"
  mkdir -p "$ws"
  git --git-dir="$mirror" archive "$sha" | tar -x -C "$ws"
  phase archived "$sha"
  if ! (cd "$ws/services/api" && node --test) >"$ws.test.log" 2>&1; then
    phase tests-failed "$sha"
    return 0
  fi
  phase tested "$sha"
  mkdir -p "$work/releases"
  cp -R "$ws/services/api" "$rel"
  phase released "$sha"
  for env in "${envs[@]}"; do
    deploy_to "$env" "$sha" "$rel" || return 0
  done
  cp "$work/current-prod" "$work/current.tmp"
  mv "$work/current.tmp" "$work/current"
}

mkdir -p "$work"
git init -q --bare "$mirror"
while :; do
  head=$(git ls-remote "$repo" "refs/heads/$branch" | cut -f1)
  if [[ -n $head && $head != "$last" ]]; then
    deploy "$head"
    last=$head
  fi
  # In the background, so that SIGTERM is handled at once rather than after the sleep.
  sleep "$poll_seconds" &
  sleeper=$!
  wait "$sleeper" || true
  sleeper=''
done
