#!/usr/bin/env bash
# Prints figures for the SBOM/signing core and the fake cosign's process cost. Usage: tests/bench/signing.sh [packages]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet run -c Release "$here/signing.cs" -- "$@"
fake="$here/../FakeTools/bin/Debug/net10.0/fake-bin/cosign"
if [ -x "$fake" ]; then
  start=$(date +%s%N); for _ in 1 2 3 4 5 6 7 8 9 10; do "$fake" version >/dev/null; done; end=$(date +%s%N)
  echo "fake cosign version: $(( (end - start) / 10000000 )) ms per process start (10 runs)"
fi
