#!/usr/bin/env bash
# BuildImages' wall time beside the docker CLI building the same contexts, one after another and in
# parallel (classic builder, DOCKER_BUILDKIT=0, as the engine API uses), every run with --network none
# and --no-cache. The CLI gets the labels and build args BuildImages sets, so both make the same image
# (the CLI's --label adds one step per label; BuildImages puts them in one LABEL step).
# Prints the median of N runs (default 3). Goal: BuildImages within 5% of the CLI's parallel run.
#   tests/bench/build-images.sh [runs] [components]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-3}"
count="${2:-4}"
work="$(mktemp -d /tmp/build-images-bench.XXXXXX)"
base="vteam-bench-base:$$"
tags=()

cleanup() {
  [ "${#tags[@]}" -gt 0 ] && docker rmi -f "${tags[@]}" >/dev/null 2>&1 || true
  docker rmi -f "$base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

busybox="$(command -v busybox || true)"
[ -n "$busybox" ] || { echo "busybox is missing: apt-get install -y busybox-static" >&2; exit 1; }
docker version --format '{{.Server.Version}}' >/dev/null || { echo "no Docker engine at ${DOCKER_HOST:-unix:///var/run/docker.sock}" >&2; exit 1; }

# A busybox base image made locally (nothing can be pulled here).
mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp" "$work/rootfs/etc"
cp "$busybox" "$work/rootfs/bin/busybox"
for applet in $("$busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$work/rootfs/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$work/rootfs/etc/passwd"
tar -C "$work/rootfs" -c . | docker import - "$base" >/dev/null

# A repository of $count components, each with a few MB of sources, hashing them and copying them into layers.
repo="$work/repo"
mkdir -p "$repo/.nuke"
echo '{}' > "$repo/.nuke/parameters.json"
names=(backend frontend operator claude-runner api worker web cli)
components=("${names[@]:0:$count}")
for c in "${components[@]}"; do
  d="$repo/components/$c"
  mkdir -p "$d/src" "$d/node_modules"
  for i in 1 2 3 4; do head -c 1048576 /dev/urandom > "$d/src/blob$i.bin"; done
  head -c 4194304 /dev/urandom > "$d/node_modules/ignored.bin"
  printf 'node_modules\n*.log\n' > "$d/.dockerignore"
  cat > "$d/Dockerfile" <<EOF
FROM $base
ARG VERSION
COPY src/ /src/
RUN i=0; while [ \$i -lt 25 ]; do sha256sum /src/*.bin > /tmp/sums; i=\$((i+1)); done
RUN cp -r /src /copy && echo "\$VERSION" > /version
EOF
done

"$REPO/build.sh" --help >/dev/null 2>&1 # compile the build once, outside the timings

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cli_build() { # $1 tag, $2 component
  DOCKER_BUILDKIT=0 docker build --no-cache --network none \
    --build-arg VERSION=bench --build-arg VCS_REF= --build-arg BUILD_DATE="$created" \
    --label org.opencontainers.image.created="$created" --label org.opencontainers.image.title="$2" \
    --label org.opencontainers.image.version=bench \
    -t "$1" "$repo/components/$2" >/dev/null 2>"$work/cli-$2.err" \
    || { cat "$work/cli-$2.err" >&2; return 1; }
}

sequential=(); parallel=(); ours=()
for run in $(seq 1 "$runs"); do
  # The machine is shared: the two runs compared (CLI parallel, BuildImages) run back to back.
  start=$(now)
  pids=()
  for c in "${components[@]}"; do tags+=("bench-par-$run-$c:1"); cli_build "bench-par-$run-$c:1" "$c" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
  parallel+=("$(elapsed "$start" "$(now)")")

  start=$(now)
  (cd "$repo" && "$REPO/build.sh" BuildImages --image-prefix "bench${run}_" --version bench --network none --no-cache \
      --allow-unpinned --parallelism "$count" >"$work/ours-$run.log" 2>&1) || { cat "$work/ours-$run.log" >&2; exit 1; }
  ours+=("$(elapsed "$start" "$(now)")")
  for c in "${components[@]}"; do tags+=("bench${run}_$c:bench"); done

  start=$(now)
  for c in "${components[@]}"; do tags+=("bench-seq-$run-$c:1"); cli_build "bench-seq-$run-$c:1" "$c"; done
  sequential+=("$(elapsed "$start" "$(now)")")
  docker rmi -f "${tags[@]}" >/dev/null 2>&1 || true
  tags=()
done

seq_m=$(median "${sequential[@]}"); par_m=$(median "${parallel[@]}"); ours_m=$(median "${ours[@]}")
printf 'build-images: %d components, %d runs, --network none --no-cache, engine %s, %s cores, load %s\n' \
  "$count" "$runs" "$(docker version --format '{{.Server.Version}}')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  docker build, one after another : median %6.2f s  (runs: %s)\n' "$seq_m" "${sequential[*]}"
printf '  docker build, all in parallel   : median %6.2f s  (runs: %s)\n' "$par_m" "${parallel[*]}"
printf '  ./build.sh BuildImages          : median %6.2f s  (runs: %s)\n' "$ours_m" "${ours[*]}"
printf '  BuildImages vs CLI parallel     : %+.1f%% (goal: within +5%%)\n' "$(echo "($ours_m - $par_m) / $par_m * 100" | bc -l)"
