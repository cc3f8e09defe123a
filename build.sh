#!/usr/bin/env bash
# Runs the build project: ./build.sh [targets] [--parameter value ...]   (./build.sh --help)
# Finds a .NET SDK that satisfies global.json, rebuilds build/ only when its sources changed,
# and otherwise runs the compiled build directly (a warm run does not start MSBuild).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
BIN="$TEMP/bin"
STAMP="$TEMP/build.stamp"
PROJECT="$ROOT/build/_build.csproj"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=0

fingerprint() {
  # Names, sizes and times of everything that goes into the build project.
  (cd "$ROOT" && find build global.json Directory.Build.props Directory.Packages.props \
      \( -name bin -o -name obj \) -prune -o -type f -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | cksum)
}

sdk_satisfies() { # $1: dotnet executable; true when one of its SDKs satisfies global.json (rollForward latestFeature)
  local wanted major_minor band
  wanted="$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/global.json" | head -n1)"
  major_minor="${wanted%.*}"; band="${wanted##*.}"
  "$1" --list-sdks 2>/dev/null | awk -v mm="$major_minor" -v band="$band" '
    { split($1, v, "."); if (v[1] "." v[2] == mm && v[3] + 0 >= band + 0) found = 1 }
    END { exit found ? 0 : 1 }'
}

find_dotnet() {
  if command -v dotnet >/dev/null 2>&1 && sdk_satisfies "$(command -v dotnet)"; then
    command -v dotnet; return
  fi
  local local_dotnet="$TEMP/dotnet/dotnet"
  if [ -x "$local_dotnet" ] && sdk_satisfies "$local_dotnet"; then
    echo "$local_dotnet"; return
  fi
  echo "No .NET SDK satisfying global.json on PATH; installing one into .nuke/temp/dotnet" >&2
  mkdir -p "$TEMP"
  curl -sSfL https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh"
  bash "$TEMP/dotnet-install.sh" --jsonfile "$ROOT/global.json" --install-dir "$TEMP/dotnet" --no-path >&2
  echo "$local_dotnet"
}

current="$(fingerprint)"
if [ -f "$STAMP" ] && [ -f "$BIN/_build.dll" ]; then
  IFS= read -r stamped_dotnet < "$STAMP" || true
  stamped_fingerprint="$(sed -n 2p "$STAMP")"
  if [ "$stamped_fingerprint" = "$current" ] && [ -x "$stamped_dotnet" ]; then
    exec "$stamped_dotnet" "$BIN/_build.dll" "$@"
  fi
fi

DOTNET="$(find_dotnet)"
echo "Compiling the build project…" >&2
# Both scripts share the compiled build: a rebuild here invalidates build.ps1's stamp too.
rm -f "$STAMP" "$TEMP/build.ps1.stamp"
"$DOTNET" build "$PROJECT" --configuration Release --output "$BIN" --nologo -v quiet -clp:NoSummary -p:UseAppHost=false >&2
(cd "$ROOT" && "$DOTNET" "$BIN/_build.dll" --generate-schema)
mkdir -p "$TEMP"
printf '%s\n%s\n' "$DOTNET" "$current" > "$STAMP"
exec "$DOTNET" "$BIN/_build.dll" "$@"
