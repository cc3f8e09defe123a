#!/usr/bin/env bash
# Benchmark of issue 3: our registry resolver vs `skopeo inspect` one by one, for 50 distinct references
# on a local docker-registry behind a proxy that adds 50 ms to each request. Prints both wall times,
# their ratio and the floor (round trips x 50 ms / concurrency). Optional argument: the concurrency.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in docker-registry skopeo dotnet; do
  command -v "$tool" >/dev/null || { echo "pin-resolve.sh: $tool is not installed" >&2; exit 2; }
done
dotnet build "$here/PinResolveBench" -c Release -nologo -v quiet >/dev/null
exec dotnet "$here/PinResolveBench/bin/Release/net10.0/PinResolveBench.dll" "$@"
