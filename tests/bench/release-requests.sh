#!/usr/bin/env bash
# Requests and wall time of PublishRelease against the stand-in GitHub (127.0.0.1) for a release of
# 20 images (84 assets): first publish, re-runs with nothing or one asset changed, with and without
# GitHub's asset digests. The request counts are also asserted by ReleaseRequestBudgetSpecs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
RELEASE_BENCH_OUT="$out" dotnet test tests/Vteam.Build.Tests --filter "FullyQualifiedName~ReleaseRequestBudgetSpecs" >/dev/null
cat "$out"
