#!/usr/bin/env bash
# Secure's wall time against its critical path (the slowest image's chain: build + max(scan, SBOM) +
# sign + attest + verify), on 4 fixture images with stand-in tools of fixed durations. Goal: ratio <= 1.10.
# Needs: a Docker engine, docker-registry, busybox-static, and the test project built (dotnet build tests/Vteam.Build.Tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo="$PWD"
bin="$repo/tests/Vteam.Build.Tests/bin/Debug/net10.0"
[ -f "$bin/_build.dll" ] || dotnet build tests/Vteam.Build.Tests -v q --nologo >/dev/null
password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d " \n")"
scan_ms="${SCAN_MS:-6000}" sbom_ms="${SBOM_MS:-4000}" cosign_ms="${COSIGN_MS:-1000}" secrets_ms="${SECRETS_MS:-6000}"

work="$(mktemp -d)"
cleanup() { [ -n "${registry_pid:-}" ] && kill "$registry_pid" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

# A registry of our own and a busybox base image in it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YAML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/registry } }
http: { addr: 127.0.0.1:$port }
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 & registry_pid=$!
for _ in $(seq 1 50); do curl -s "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp" && cp /bin/busybox "$work/rootfs/bin/" && ln -s busybox "$work/rootfs/bin/sh" && ln -s busybox "$work/rootfs/bin/echo"
tar -C "$work/rootfs" -c . | docker import - "127.0.0.1:$port/base:1" >/dev/null
docker push -q "127.0.0.1:$port/base:1" >/dev/null
base="$(docker inspect --format '{{index .RepoDigests 0}}' "127.0.0.1:$port/base:1")"
base="127.0.0.1:$port/base:1@${base#*@}"

# The fixture repository: 4 components, the shipped manifests, a git history.
root="$work/repo"; mkdir -p "$root/.nuke" "$root/components"; echo '{}' > "$root/.nuke/parameters.json"
registry="127.0.0.1:$port/bench"
for c in alpha beta gamma delta; do
  mkdir -p "$root/components/$c"
  printf 'FROM %s\nRUN echo %s > /component\nUSER 1001\n' "$base" "$c-$RANDOM" > "$root/components/$c/Dockerfile"
done
cp -r components/manifests "$root/components/"
find "$root/components/manifests" -name '*.yaml' -exec sed -i "s#quay.io/ambient_code/vteam_#$registry/vteam_#g" {} +
git -C "$root" init -q -b main && git -C "$root" add -A && git -C "$root" -c user.email=b@b -c user.name=b commit -qm bench

# The fakes with fixed durations; each call's start and end go to calls.log.
mkdir -p "$work/bin"
for tool in trivy syft cosign trufflehog; do
  cat > "$work/bin/$tool" <<SH
#!/bin/sh
export FAKE_COSIGN_STORE='$work/cosign-store' FAKE_TRIVY_DELAY_MS=$scan_ms FAKE_SYFT_DELAY_MS=$sbom_ms FAKE_COSIGN_DELAY_MS=$cosign_ms FAKE_TRUFFLEHOG_DELAY_MS=$secrets_ms
start=\$(date +%s.%N)
'$bin/fake-bin/$tool' "\$@"; code=\$?
echo "$tool \$start \$(date +%s.%N) \$*" >> '$work/calls.log'
exit \$code
SH
  chmod +x "$work/bin/$tool"
done
(cd "$work" && COSIGN_PASSWORD="$password" "$work/bin/cosign" generate-key-pair >/dev/null 2>&1)
: > "$work/calls.log"

start=$(date +%s.%N)
set +e
(cd "$root" && PATH="$work/bin:$PATH" COSIGN_PASSWORD="$password" dotnet "$bin/_build.dll" Secure \
   --registry "$registry" --image-prefix vteam_ --push --network none --version 1.0.0 --cosign-key "$work/cosign.key" \
   --parallelism 4 --scan-parallelism 4 --sbom-parallelism 4 --signing-parallelism 4 > "$work/secure.log" 2>&1)
code=$?
set -e
end=$(date +%s.%N)
[ $code -eq 0 ] || { echo "Secure failed (exit $code):"; grep -E "failed:|error" "$work/secure.log" | head -20; exit 1; }

python3 - "$root/artifacts/images.json" "$work/calls.log" "$start" "$end" <<'PY'
import json, sys, collections
images = json.load(open(sys.argv[1]))["images"]
calls = [l.split(" ", 3) for l in open(sys.argv[2]) if l.strip()]
start, end = float(sys.argv[3]), float(sys.argv[4])
def stage(tool, args):
    # A scan is trivy image plus the convert of its JSON report to SARIF.
    if tool == "trivy" and (args.startswith("image") or args.startswith("convert")): return "scan"
    if tool == "syft" and args.startswith("scan"): return "sbom"
    if tool == "cosign":
        for s in ("sign", "attest", "verify"):
            if args.startswith(s): return s
    return None
durations = collections.defaultdict(float)
for tool, s, e, args in ((c[0], float(c[1]), float(c[2]), c[3] if len(c) > 3 else "") for c in calls):
    name = stage(tool, args)
    if not name: continue
    for image in images:
        if (image.get("digest") and image["digest"] in args) or f"/scans/{image['component']}.trivy.json" in args:
            durations[(image["component"], name)] += e - s
chains = {}
for image in images:
    c = image["component"]
    chains[c] = image.get("buildSeconds", 0) + max(durations[(c, "scan")], durations[(c, "sbom")]) + durations[(c, "sign")] + durations[(c, "attest")] + durations[(c, "verify")]
critical = max(chains.values())
wall = end - start
serial = sum(chains.values())
print("per-image chains (s): " + ", ".join(f"{c}={v:.1f}" for c, v in sorted(chains.items())))
print(f"Secure wall time: {wall:.1f} s; critical path: {critical:.1f} s; ratio: {wall / critical:.2f} (goal <= 1.10); sum of chains: {serial:.1f} s")
PY
