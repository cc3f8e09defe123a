#:project ../../build/_build.csproj
#:property TreatWarningsAsErrors=false
// Figures for the scanning stage's pure core: parsing trivy/trufflehog output, gating, masking.
// Run: tests/bench/scanning.sh  (prints figures; not a timed test)
using System.Diagnostics;
using System.Text;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Vulnerabilities;
using Vteam.Build.Tools.Trivy;
using Vteam.Build.Tools.TruffleHog;

var vulnerabilities = int.Parse(args.ElementAtOrDefault(0) ?? "5000");
var secrets = int.Parse(args.ElementAtOrDefault(1) ?? "2000");

var report = new StringBuilder("{\"SchemaVersion\":2,\"ArtifactName\":\"bench\",\"Results\":[{\"Target\":\"bench (alpine 3.20)\",\"Class\":\"os-pkgs\",\"Vulnerabilities\":[");
string[] severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"];
for (var i = 0; i < vulnerabilities; i++)
    report.Append(i == 0 ? "" : ",").Append($$"""{"VulnerabilityID":"CVE-2026-{{i}}","PkgID":"p{{i % 300}}@1.0","PkgName":"p{{i % 300}}","PkgIdentifier":{"PURL":"pkg:apk/alpine/p{{i % 300}}@1.0"},"InstalledVersion":"1.0","FixedVersion":"1.1","Status":"fixed","Severity":"{{severities[i % 5]}}","Title":"t","Description":"{{new string('d', 400)}}","References":["https://x/{{i}}"]}""");
report.Append("]}]}");
var json = report.ToString();

var clock = Stopwatch.StartNew();
const int rounds = 20;
TrivyReport parsed = null!;
for (var i = 0; i < rounds; i++) parsed = TrivyReportParser.Parse(json, "bench.json");
var parseMs = clock.Elapsed.TotalMilliseconds / rounds;

var ignores = TrivyIgnoreFile.Parse("vulnerabilities:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"  - id: CVE-2026-{i * 7}\n    expired_at: 2030-01-01\n")), "bench.yaml");
clock.Restart();
VulnerabilityVerdict verdict = null!;
for (var i = 0; i < rounds; i++) verdict = VulnerabilityGate.Decide("bench", parsed, new VulnerabilityThresholds(), ignores, new DateOnly(2026, 12, 4));
var gateMs = clock.Elapsed.TotalMilliseconds / rounds;

var lines = new StringBuilder();
for (var i = 0; i < secrets; i++)
    lines.Append("{\"SourceMetadata\":{\"Data\":{\"Git\":{\"commit\":\"" + i.ToString("x40") + "\",\"file\":\"f" + i + ".env\",\"line\":" + i + "}}},")
        .Append("\"SourceType\":16,\"DetectorType\":2,\"DetectorName\":\"AWS\",\"DecoderName\":\"PLAIN\",\"Verified\":true,")
        .Append($"\"Raw\":\"AKIA{i:D16}\",\"RawV2\":\"AKIA{i:D16}secret{i:D30}\",\"Redacted\":\"AKIA{i:D16}\"}}").Append('\n');
var masker = new SecretMasker();
clock.Restart();
var findings = TruffleHogParser.Parse(lines.ToString(), masker);
var truffleMs = clock.Elapsed.TotalMilliseconds;

var logLines = Enumerable.Range(0, 10_000).Select(i => $"line {i}: scanning layer sha256:{i:x64} of image AKIA{(i % 50):D16}").ToArray();
clock.Restart();
var masked = 0;
foreach (var line in logLines) if (masker.Mask(line).Contains("***")) masked++;
var maskUs = clock.Elapsed.TotalMilliseconds * 1000 / logLines.Length;

Console.WriteLine($"trivy JSON parse: {vulnerabilities} vulnerabilities ({json.Length / 1024} KiB) in {parseMs:0.0} ms");
Console.WriteLine($"vulnerability gate: {parsed.Vulnerabilities.Count} findings, 200 ignores -> {verdict.Counts} in {gateMs:0.00} ms");
Console.WriteLine($"trufflehog JSONL parse: {findings.Count} findings, {masker.Secrets.Count} secrets registered, in {truffleMs:0.0} ms");
Console.WriteLine($"masking: {logLines.Length} log lines against {masker.Secrets.Count} secrets: {maskUs:0.0} µs/line ({masked} lines masked)");
