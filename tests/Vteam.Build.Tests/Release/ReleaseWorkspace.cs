using System.Security.Cryptography;
using System.Text;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Release;

namespace Vteam.Build.Tests.Release;

/// <summary>A temporary repository root with artifacts/ as the earlier stages leave it for two images.</summary>
internal sealed class ReleaseWorkspace
{
    public static readonly string[] Components = ["backend", "frontend"];

    private ReleaseWorkspace(AbsolutePath root)
    {
        Root = root;
        Artifacts = (root / "artifacts").CreateDirectory();
    }

    public AbsolutePath Root { get; }
    public AbsolutePath Artifacts { get; }
    public BuildManifest Manifest { get; } = new() { Version = "1.4.0", GitCommit = "0123456789abcdef0123456789abcdef01234567", Registry = "quay.io" };

    /// <summary>The asset names a full release of this workspace has, SHA256SUMS included.</summary>
    public static readonly string[] ExpectedAssets =
    [
        "backend-provenance.json", "backend-sbom.spdx.json", "backend-trivy.json", "backend-trivy.sarif",
        "frontend-provenance.json", "frontend-sbom.spdx.json", "frontend-trivy.json", "frontend-trivy.sarif",
        "images.json", "security-report.json", "security-report.md", "SHA256SUMS",
    ];

    /// <param name="components">More than two makes components named component-01, component-02, …</param>
    public static ReleaseWorkspace Create(bool verified = true, int components = 2)
    {
        var workspace = new ReleaseWorkspace(new AbsolutePath(Directory.CreateTempSubdirectory("release-").FullName));
        var names = components == 2 ? Components : Enumerable.Range(1, components).Select(i => $"component-{i:00}").ToArray();
        foreach (var component in names)
        {
            var sbom = workspace.Write($"artifacts/sbom/{component}.spdx.json", $"{{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"{component}\"}}\n");
            workspace.Write($"artifacts/scan/{component}.trivy.json", $"{{\"SchemaVersion\":2,\"ArtifactName\":\"{component}\"}}\n");
            workspace.Write($"artifacts/scan/{component}.trivy.sarif", $"{{\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":{{\"name\":\"Trivy\"}}}}}}]}}\n");
            workspace.Write($"artifacts/provenance/{component}.slsa.json", $"{{\"buildDefinition\":{{\"buildType\":\"vteam/{component}\"}}}}\n");
            workspace.Manifest.Images.Add(new ImageRecord
            {
                Component = component,
                Repository = $"quay.io/ambient_code/vteam_{component}",
                Digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(component))),
                Pushed = true,
                Sbom = new SbomRecord { Path = $"artifacts/sbom/{component}.spdx.json", Sha256 = Checksums.Sha256(File.ReadAllBytes(sbom)), Packages = component.Length * 10 },
                Scan = new ScanRecord
                {
                    JsonReport = $"artifacts/scan/{component}.trivy.json",
                    SarifReport = $"artifacts/scan/{component}.trivy.sarif",
                    High = component.Length % 3, Medium = 4, Low = 7, Passed = true,
                },
                Signature = new SignatureRecord
                {
                    Signed = true, SbomAttested = true, ProvenanceAttested = true,
                    ProvenancePath = $"artifacts/provenance/{component}.slsa.json",
                    Verified = verified, SbomVerified = verified, ProvenanceVerified = verified,
                    Failure = verified ? null : "no matching signatures",
                },
            });
        }
        workspace.Write("artifacts/security-report.md", "# Security report\n\nAll gates passed.\n");
        workspace.Write("artifacts/security-report.json", "{\"passed\":true}\n");
        // A secret-scan report is never published.
        workspace.Write("artifacts/secrets/trufflehog.json", "{\"Raw\":\"AKIA-looks-like-a-secret\"}\n");
        workspace.Manifest.Secrets = new SecretScanRecord { JsonReport = "artifacts/secrets/trufflehog.json", Passed = true };
        return workspace;
    }

    public string Write(string relative, string content)
    {
        var path = Root / relative;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string Resolve(string recorded) => Path.IsPathFullyQualified(recorded) ? recorded : (Root / recorded).Value;

    public PreparedRelease Prepare(bool signingConfigured = true, string tag = "v1.4.0")
        => ReleaseStage.Prepare(Manifest, Artifacts, tag, signingConfigured, Resolve);
}
