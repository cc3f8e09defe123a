#:project ../../build/_build.csproj
#:property TreatWarningsAsErrors=false
// Figures for the SBOM and signing stages' pure core: validating a large SPDX SBOM, reading cosign's verify output,
// building the provenance predicate. Run: tests/bench/signing.sh [packages] (prints figures; not a timed test)
using System.Diagnostics;
using System.Text;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Provenance;
using Vteam.Build.Tools.Cosign;
using Vteam.Build.Tools.Syft;

var packages = int.Parse(args.ElementAtOrDefault(0) ?? "20000");
var digest = "sha256:" + new string('a', 64);
var sbom = new StringBuilder("{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"r/x\",")
    .Append("\"documentNamespace\":\"https://anchore.com/syft/image/x-1\",\"creationInfo\":{\"created\":\"2026-12-04T20:00:00Z\",\"creators\":[\"Tool: syft-1.51.0\"]},\"packages\":[");
for (var i = 0; i < packages; i++)
    sbom.Append($$"""{"name":"p{{i}}","SPDXID":"SPDXRef-Package-{{i}}","versionInfo":"1.{{i}}","downloadLocation":"NOASSERTION","licenseConcluded":"NOASSERTION","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:apk/alpine/p{{i}}@1.{{i}}"}]},""");
sbom.Append($$"""{"name":"r/x","SPDXID":"SPDXRef-DocumentRoot-Image-x","versionInfo":"{{digest}}","downloadLocation":"NOASSERTION"}],"relationships":[""");
for (var i = 0; i < packages; i++) sbom.Append($$"""{"spdxElementId":"SPDXRef-DocumentRoot-Image-x","relatedSpdxElement":"SPDXRef-Package-{{i}}","relationshipType":"CONTAINS"},""");
sbom.Append("{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relatedSpdxElement\":\"SPDXRef-DocumentRoot-Image-x\",\"relationshipType\":\"DESCRIBES\"}]}");
var json = sbom.ToString();

const int rounds = 10;
var clock = Stopwatch.StartNew();
SpdxSummary summary = null!;
for (var i = 0; i < rounds; i++) summary = SpdxValidator.Validate(json, "bench.spdx.json", digest);
var validateMs = clock.Elapsed.TotalMilliseconds / rounds;

var entries = string.Join(",", Enumerable.Range(0, 500).Select(i =>
    $$$"""{"critical":{"identity":{"docker-reference":"r/x"},"image":{"docker-manifest-digest":"{{{digest}}}"},"type":"{{{(i % 2 == 0 ? CosignCommands.BundleSignatureType : "https://spdx.dev/Document")}}}"},"optional":{"k":"v{{{i}}}"}}"""));
var verifyStdout = "\n[" + entries + "]\n";
clock.Restart();
CosignVerdict verdict = null!;
for (var i = 0; i < rounds * 10; i++) verdict = CosignOutput.CheckSignatures(CosignOutput.ParseVerify(verifyStdout), digest);
var verifyMs = clock.Elapsed.TotalMilliseconds / (rounds * 10);

var image = new ImageRecord
{
    Component = "backend", Repository = "r/x", Digest = digest, Tags = ["1"],
    BaseImages = [.. Enumerable.Range(0, 20).Select(i => new BaseImageRecord { Reference = $"r/base{i}:1", Digest = digest, Pinned = true })],
};
var manifest = new BuildManifest { GitCommit = new string('c', 40), Images = [image] };
var masker = new SecretMasker();
for (var i = 0; i < 50; i++) masker.Register($"secret-value-number-{i:D4}");
clock.Restart();
string predicate = "";
for (var i = 0; i < rounds * 100; i++)
    predicate = SlsaProvenance.Serialize(SlsaProvenance.Predicate(manifest, image, ProvenanceContext.Local(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)), masker, "backend");
var provenanceUs = clock.Elapsed.TotalMilliseconds * 1000 / (rounds * 100);

Console.WriteLine($"SPDX SBOM of {packages} packages ({json.Length / 1024} KiB): validated in {validateMs:0.0} ms ({summary.Packages} packages counted)");
Console.WriteLine($"cosign verify output of 500 entries: parsed and judged in {verifyMs:0.00} ms (verified: {verdict.Verified})");
Console.WriteLine($"SLSA provenance (20 bases, 50 secrets checked): {provenanceUs:0} µs per predicate ({predicate.Length} bytes)");
