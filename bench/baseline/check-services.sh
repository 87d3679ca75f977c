#!/usr/bin/env bash
# A second baseline of bench/reconcile-idle.mjs, the shell way: `kill -0` of every pid, then one curl process that GETs
# every health URL in turn. Prints how many answered 200.
#
# usage: check-services.sh <services.txt>   (one "<pid> <port> <path>" per line)
set -euo pipefail
args=()
while read -r pid port path; do
  kill -0 "$pid"
  args+=(-o /dev/null "http://127.0.0.1:$port$path")
done <"$1"
curl -sS --max-time 10 -w '%{http_code}\n' "${args[@]}" | grep -c '^200$'
