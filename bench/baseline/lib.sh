# shellcheck shell=bash
# What commit-to-dev.sh and commit-to-prod.sh share: the poll loop, the build of a release from a commit, starting a
# release and waiting for its health, and the phase log. Sourced by them after they have set `repo` (the repository to
# watch) and `work` (their work directory), and with `set -euo pipefail` in force; each script defines `deploy <sha>`
# (called by watch for each new head) and its own SIGTERM handler.
: "${repo:?}" "${work:?}"

branch=main
poll_seconds=1
health_interval_seconds=0.25
health_timeout_seconds=30
mirror=$work/mirror.git
starting_pid='' sleeper='' last=''

# Appends "<epoch-ms> <phase> <sha>" to <work>/phases.log.
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

# Fetches <sha> into the mirror, `git archive`s it into a workspace, runs the api tests there and copies the service
# into <work>/releases/<sha>. Sets release_dir to that directory, or to '' when the tests failed.
build_release() {
  local sha=$1
  local ws=$work/workspaces/$sha
  release_dir=''
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
  release_dir=$work/releases/$sha
  cp -R "$ws/services/api" "$release_dir"
  phase released "$sha"
}

# Starts the release in <rel> on <port> with its output in <log>, and curls /healthz until 200 (every 250 ms, at most
# 30 s). Logs the phases <prefix>started, then <prefix>healthy or <prefix>unhealthy. Leaves the new process's pid in
# starting_pid once healthy; when it exits or times out first, stops it and leaves starting_pid ''.
start_healthy() {
  local sha=$1 rel=$2 port=$3 log=$4 prefix=$5
  (cd "$rel" && PORT=$port exec node src/server.mjs) >"$log" 2>&1 &
  starting_pid=$!
  phase "${prefix}started" "$sha"
  local deadline=$((SECONDS + health_timeout_seconds))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    if ! kill -0 "$starting_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      phase "${prefix}unhealthy" "$sha"
      stop_pid "$starting_pid"
      starting_pid=''
      return 0
    fi
    sleep "$health_interval_seconds"
  done
  phase "${prefix}healthy" "$sha"
}

# Writes "<sha> <port> <pid>" to <file> (atomically, through a rename).
write_state() {
  printf '%s %s %s\n' "$2" "$3" "$4" >"$1.tmp"
  mv "$1.tmp" "$1"
}

# Polls the repository with `git ls-remote` every poll_seconds and calls `deploy <sha>` for each new head; never returns.
watch() {
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
}
