#!/usr/bin/env pwsh
# Runs the build project: ./build.ps1 [targets] [--parameter value ...]   (./build.ps1 --help)
# Finds a .NET SDK that satisfies global.json, rebuilds build/ only when its sources changed,
# and otherwise runs the compiled build directly (a warm run does not start MSBuild).
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'bin'
$Stamp = Join-Path $Temp 'build.ps1.stamp'
$Project = Join-Path $Root 'build/_build.csproj'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Get-Fingerprint {
    # Names, sizes and times of everything that goes into the build project.
    $files = @(Get-ChildItem -Path (Join-Path $Root 'build') -Recurse -File |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    $files += @('global.json', 'Directory.Build.props', 'Directory.Packages.props') |
        ForEach-Object { Get-Item (Join-Path $Root $_) -ErrorAction SilentlyContinue }
    $lines = $files | Where-Object { $_ } | ForEach-Object {
        '{0} {1} {2}' -f [IO.Path]::GetRelativePath($Root, $_.FullName), $_.Length, $_.LastWriteTimeUtc.Ticks
    } | Sort-Object -CaseSensitive
    $bytes = [Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
    [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
}

function Test-Sdk([string] $Dotnet) {
    $wanted = (Get-Content (Join-Path $Root 'global.json') -Raw | ConvertFrom-Json).sdk.version
    $parts = $wanted.Split('.')
    foreach ($line in (& $Dotnet --list-sdks 2>$null)) {
        $v = ($line -split ' ')[0].Split('-')[0].Split('.')
        if ($v[0] -eq $parts[0] -and $v[1] -eq $parts[1] -and [int]$v[2] -ge [int]$parts[2]) { return $true }
    }
    return $false
}

function Find-Dotnet {
    $onPath = Get-Command dotnet -ErrorAction SilentlyContinue
    if ($onPath -and (Test-Sdk $onPath.Source)) { return $onPath.Source }
    $local = Join-Path $Temp ($IsWindows ? 'dotnet/dotnet.exe' : 'dotnet/dotnet')
    if ((Test-Path $local) -and (Test-Sdk $local)) { return $local }
    Write-Host 'No .NET SDK satisfying global.json on PATH; installing one into .nuke/temp/dotnet'
    New-Item -ItemType Directory -Force -Path $Temp | Out-Null
    if ($IsWindows) {
        $script = Join-Path $Temp 'dotnet-install.ps1'
        Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $script
        & $script -JsonFile (Join-Path $Root 'global.json') -InstallDir (Join-Path $Temp 'dotnet') -NoPath
    } else {
        $script = Join-Path $Temp 'dotnet-install.sh'
        Invoke-WebRequest 'https://dot.net/v1/dotnet-install.sh' -OutFile $script
        & bash $script --jsonfile (Join-Path $Root 'global.json') --install-dir (Join-Path $Temp 'dotnet') --no-path
    }
    return $local
}

$current = Get-Fingerprint
if ((Test-Path $Stamp) -and (Test-Path (Join-Path $Bin '_build.dll'))) {
    $stamped = @(Get-Content $Stamp)
    if ($stamped.Count -ge 2 -and $stamped[1] -eq $current -and (Test-Path $stamped[0])) {
        & $stamped[0] (Join-Path $Bin '_build.dll') @args
        exit $LASTEXITCODE
    }
}

$dotnet = Find-Dotnet
Write-Host 'Compiling the build project…'
# Both scripts share the compiled build: a rebuild here invalidates build.sh's stamp too.
Remove-Item $Stamp, (Join-Path $Temp 'build.stamp') -ErrorAction SilentlyContinue
& $dotnet build $Project --configuration Release --output $Bin --nologo -v quiet -p:UseAppHost=false
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Push-Location $Root
try { & $dotnet (Join-Path $Bin '_build.dll') --generate-schema } finally { Pop-Location }
New-Item -ItemType Directory -Force -Path $Temp | Out-Null
Set-Content -Path $Stamp -Value @($dotnet, $current)
& $dotnet (Join-Path $Bin '_build.dll') @args
exit $LASTEXITCODE
