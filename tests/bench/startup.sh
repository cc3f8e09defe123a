#!/usr/bin/env bash
# Median wall time of a warm `./build.sh --help` over N runs (default 10). Goal: at most 0.30 s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs="${1:-10}"
./build.sh --help >/dev/null 2>&1 # warm: compile if needed
times=()
for _ in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  ./build.sh --help >/dev/null
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(printf '%s\n' "$sorted" | awk -v n="$runs" '{ a[NR] = $1 } END { if (n % 2) print a[(n + 1) / 2]; else print (a[n / 2] + a[n / 2 + 1]) / 2 }')
printf 'warm ./build.sh --help: runs=%d median=%.3f s min=%.3f s max=%.3f s (goal <= 0.30 s)\n' \
  "$runs" "$median" "$(printf '%s\n' "$sorted" | head -n1)" "$(printf '%s\n' "$sorted" | tail -n1)"
