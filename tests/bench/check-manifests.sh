#!/usr/bin/env bash
# Times CheckManifests on the shipped manifests and on copies grown with N more backend-like
# workloads (each with its ServiceAccount, Role, RoleBinding, Service and PDB). Prints figures only.
# Usage: tests/bench/check-manifests.sh [N...]   (default: 0 100 1000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/build.sh" --help >/dev/null          # compiles the build project when needed
DOTNET="$(sed -n 1p "$ROOT/.nuke/temp/build.stamp")"
BIN="$ROOT/.nuke/temp/bin/_build.dll"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(0 100 1000)

printf '%-10s %-9s %-10s %-10s %-12s\n' "extra" "objects" "wall (s)" "check (s)" "objects/s"
for n in "${sizes[@]}"; do
  work="$(mktemp -d)"
  mkdir -p "$work/.nuke" "$work/components"
  cp -r "$ROOT/components/manifests" "$work/components/"
  for i in $(seq 1 "$n"); do
    sed "s/backend-api/backend-api-$i/g" "$ROOT/components/manifests/base/backend-api.yaml" > "$work/components/manifests/base/gen-$i.yaml"
  done
  # Images pinned to a made-up digest, so the figures measure the check rather than printing warnings.
  find "$work/components/manifests" -name '*.yaml' -exec sed -i -E 's#(image: [^:@ ]+):[A-Za-z0-9._-]+#\1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef#' {} +
  objects=$(cat $(find "$work/components/manifests" -name '*.yaml' ! -name kustomization.yaml) | grep -c '^kind:')
  start=$(date +%s%N)
  out=$(cd "$work" && "$DOTNET" "$BIN" CheckManifests 2>&1) || { echo "$out" | tail -20; exit 1; }
  end=$(date +%s%N)
  check=$(echo "$out" | sed -n 's/.*CheckManifests[^0-9]*Succeeded[^0-9]*\([0-9.]*\) s.*/\1/p' | head -n1)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  rate=$(awk -v o="$objects" -v c="${check:-0}" 'BEGIN { if (c > 0) printf "%.0f", o / c; else print "n/a" }')
  printf '%-10s %-9s %-10s %-10s %-12s\n' "$n" "$objects" "$wall" "${check:-?}" "$rate"
  rm -rf "$work"
done
