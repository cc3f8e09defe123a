using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vteam.Build.Components;

/// <summary>
/// artifacts/images.json: for each component its Dockerfile, pinned bases, repository, tags and digest,
/// and what each later stage produced. After the build an image is named by digest only.
/// </summary>
public sealed class BuildManifest
{
    public int SchemaVersion { get; set; } = 1;
    public string? Version { get; set; }
    public string? GitCommit { get; set; }
    public string? Registry { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public List<ImageRecord> Images { get; set; } = [];
    public SecretScanRecord? Secrets { get; set; }
    public ManifestCheckRecord? Manifests { get; set; }
    public PinCheckRecord? Pins { get; set; }
    public ReleaseRecord? Release { get; set; }

    public ImageRecord? Find(string component) => Images.FirstOrDefault(i => i.Component == component);

    public ImageRecord GetOrAdd(string component)
    {
        var image = Find(component);
        if (image is null) Images.Add(image = new ImageRecord { Component = component });
        return image;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}

public sealed class ImageRecord
{
    public string Component { get; set; } = "";
    public string? Dockerfile { get; set; }
    public string? Context { get; set; }
    public string? TargetStage { get; set; }
    public List<string> Platforms { get; set; } = [];
    public List<BaseImageRecord> BaseImages { get; set; } = [];
    /// <summary>Registry and path without tag or digest, e.g. quay.io/ambient_code/vteam_backend.</summary>
    public string? Repository { get; set; }
    public List<string> Tags { get; set; } = [];
    /// <summary>The pushed manifest digest (sha256:…); null until pushed.</summary>
    public string? Digest { get; set; }
    /// <summary>The local image id (sha256:… of the config), known also without a push.</summary>
    public string? ImageId { get; set; }
    public long? Size { get; set; }
    public double? BuildSeconds { get; set; }
    public bool Pushed { get; set; }
    /// <summary>A docker save tarball under artifacts/images/, written with --export.</summary>
    public string? ExportPath { get; set; }
    public ScanRecord? Scan { get; set; }
    public SbomRecord? Sbom { get; set; }
    public SignatureRecord? Signature { get; set; }

    /// <summary>repository@digest: the only name later stages use.</summary>
    [JsonIgnore]
    public string? DigestReference => Repository is not null && Digest is not null ? $"{Repository}@{Digest}" : null;
}

public sealed class BaseImageRecord
{
    /// <summary>The reference as written in the Dockerfile (after ARG expansion).</summary>
    public string Reference { get; set; } = "";
    public string? Digest { get; set; }
    public int Line { get; set; }
    public bool Pinned { get; set; }
}

public sealed class ScanRecord
{
    public string Tool { get; set; } = "trivy";
    public string? ToolVersion { get; set; }
    public string? JsonReport { get; set; }
    public string? SarifReport { get; set; }
    public int Critical { get; set; }
    public int High { get; set; }
    public int Medium { get; set; }
    public int Low { get; set; }
    public int Unknown { get; set; }
    public int Ignored { get; set; }
    public bool Passed { get; set; }
    public DateTimeOffset? ScannedAt { get; set; }
    /// <summary>What trivy scanned: repository@digest, or the exported tarball's path.</summary>
    public string? ScannedReference { get; set; }
    public int ImageSecrets { get; set; }
    public int ExpiredIgnores { get; set; }
    public List<string> Violations { get; set; } = [];
}

public sealed class SbomRecord
{
    public string Path { get; set; } = "";
    public string Format { get; set; } = "spdx-json@2.3";
    public string Sha256 { get; set; } = "";
    public int Packages { get; set; }
    /// <summary>The image digest the SBOM's root package names (null for an SBOM of a tarball).</summary>
    public string? DescribedDigest { get; set; }
    public string? ToolVersion { get; set; }
}

public sealed class SignatureRecord
{
    /// <summary>key, keyless or air-gapped.</summary>
    public string Mode { get; set; } = "key";
    public string? CosignVersion { get; set; }
    /// <summary>The digest this record is about; a record for another digest says nothing about the image.</summary>
    public string? Digest { get; set; }
    public bool Signed { get; set; }
    public bool SbomAttested { get; set; }
    public bool ProvenanceAttested { get; set; }
    public string? ProvenancePath { get; set; }
    public bool Verified { get; set; }
    public bool SbomVerified { get; set; }
    public bool ProvenanceVerified { get; set; }
    public string? Identity { get; set; }
    public string? Issuer { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public string? Failure { get; set; }
}

public sealed class SecretScanRecord
{
    public int Verified { get; set; }
    public int Unknown { get; set; }
    public int Unverified { get; set; }
    public string? JsonReport { get; set; }
    public string? SarifReport { get; set; }
    public bool Passed { get; set; }
    public string? ToolVersion { get; set; }
    /// <summary>git (with SinceCommit on pull requests) or filesystem.</summary>
    public string? Mode { get; set; }
    public string? SinceCommit { get; set; }
    public DateTimeOffset? ScannedAt { get; set; }
}

public sealed class ManifestCheckRecord
{
    public int Errors { get; set; }
    public int Warnings { get; set; }
    public int Workloads { get; set; }
    public double PodsNonRootPercent { get; set; }
    public double NetworkPolicyCoveragePercent { get; set; }
    public double? SecretRotationCompliancePercent { get; set; }
    public double? MtlsCoveragePercent { get; set; }
    public bool RotationJobPresent { get; set; }
    public string? SarifReport { get; set; }
    public bool Passed { get; set; }
}

public sealed class PinCheckRecord
{
    public int References { get; set; }
    public int Pinned { get; set; }
    public bool Passed { get; set; }
}

public sealed class ReleaseRecord
{
    public string? Tag { get; set; }
    public string? Url { get; set; }
    public bool Draft { get; set; }
    public List<string> Assets { get; set; } = [];
}
