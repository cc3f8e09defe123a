#!/usr/bin/env bash
# Prints figures for the scanning core and the fake tools' process cost. Usage: tests/bench/scanning.sh [vulns] [secrets]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet run -c Release "$here/scanning.cs" -- "$@"
fake="$here/../FakeTools/bin/Debug/net10.0/fake-bin/trivy"
if [ -x "$fake" ]; then
  start=$(date +%s%N); for _ in 1 2 3 4 5 6 7 8 9 10; do "$fake" --version --format json >/dev/null; done; end=$(date +%s%N)
  echo "fake trivy --version: $(( (end - start) / 10000000 )) ms per process start (10 runs)"
fi
