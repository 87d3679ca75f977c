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
branch=main
poll_seconds=1
health_interval_seconds=0.25
health_timeout_seconds=30
mirror=$work/mirror.git
live_pid='' starting_pid='' sleeper='' next=0 last=''

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
  [[ -n $live_pid ]] && stop_pid "$live_pid"
  exit 0
}
trap shutdown TERM INT

deploy() {
  local sha=$1
  local ws=$work/workspaces/$sha rel=$work/releases/$sha port=${ports[$next]}
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
  (cd "$rel" && PORT=$port exec node src/server.mjs) >"$rel.log" 2>&1 &
  starting_pid=$!
  phase started "$sha"
  local deadline=$((SECONDS + health_timeout_seconds))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    if ! kill -0 "$starting_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      phase unhealthy "$sha"
      stop_pid "$starting_pid"
      starting_pid=''
      return 0
    fi
    sleep "$health_interval_seconds"
  done
  phase healthy "$sha"
  [[ -n $live_pid ]] && stop_pid "$live_pid"
  live_pid=$starting_pid starting_pid='' next=$((1 - next))
  printf '%s %s %s\n' "$sha" "$port" "$live_pid" >"$work/current.tmp"
  mv "$work/current.tmp" "$work/current"
  phase live "$sha"
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
