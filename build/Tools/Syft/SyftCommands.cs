using System.Text.RegularExpressions;
using CliWrap;

namespace Vteam.Build.Tools.Syft;

/// <summary>What syft catalogs: an image in a registry by digest, or a docker save tarball.</summary>
public abstract record SyftSource
{
    private SyftSource() { }

    /// <summary>registry:repo@sha256:… pulled without a daemon; a tag can move, so only digests.</summary>
    public sealed record RegistryImage(string DigestReference) : SyftSource;

    /// <summary>docker-archive:path.tar (docker save output).</summary>
    public sealed record DockerArchive(string Path) : SyftSource;

    /// <summary>The source as syft takes it: scheme prefix and reference.</summary>
    public string Argument => this switch
    {
        RegistryImage r => "registry:" + r.DigestReference,
        DockerArchive a => "docker-archive:" + a.Path,
        _ => throw new InvalidOperationException(),
    };
}

public sealed record SyftSettings
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Plain HTTP to the registry (SYFT_REGISTRY_INSECURE_USE_HTTP); loopback registries need no switch.</summary>
    public bool InsecureUseHttp { get; init; }
    public string? RegistryAuthority { get; init; }
    public string? RegistryUsername { get; init; }
    public string? RegistryPassword { get; init; }
}

/// <summary>Pure factories for syft's command lines (tool-contracts.md §2 and §6).</summary>
public static partial class SyftCommands
{
    /// <summary>The only SBOM format the build writes and validates.</summary>
    public const string SpdxJson23 = "spdx-json@2.3";

    /// <summary><c>syft scan (registry:REF@sha256:… | docker-archive:TAR) -o spdx-json@2.3=FILE --quiet</c>.</summary>
    public static ToolInvocation Scan(string syft, SyftSettings settings, SyftSource source, string spdxOutput)
    {
        if (source is SyftSource.RegistryImage image && !DigestReference().IsMatch(image.DigestReference))
            throw new ArgumentException(
                $"syft catalogs images by digest, but '{image.DigestReference}' is not repository@sha256:<64 hex>. Push the image first (BuildImages --push) or use its --export tarball.");
        if (spdxOutput.Contains('='))
            throw new ArgumentException($"The SBOM path '{spdxOutput}' contains '=', which syft's -o FORMAT=FILE cannot carry. Use another artifacts directory.");
        var command = Cli.Wrap(syft)
            .WithArguments(a => a
                .Add("scan")
                .Add(source.Argument)
                .Add("--output").Add($"{SpdxJson23}={spdxOutput}")
                .Add("--quiet"))
            .WithEnvironmentVariables(e =>
            {
                e.Set("SYFT_CHECK_FOR_APP_UPDATE", "false");
                if (settings.InsecureUseHttp) e.Set("SYFT_REGISTRY_INSECURE_USE_HTTP", "true");
            });
        return new ToolInvocation("syft", command, settings.Timeout, ToolExitCodes.Of([0]), Credentials(settings));
    }

    private static Dictionary<string, string>? Credentials(SyftSettings settings)
    {
        if (settings.RegistryUsername is not { Length: > 0 } user || settings.RegistryPassword is not { Length: > 0 } password) return null;
        var secrets = new Dictionary<string, string>
        {
            ["SYFT_REGISTRY_AUTH_USERNAME"] = user,
            ["SYFT_REGISTRY_AUTH_PASSWORD"] = password,
        };
        if (settings.RegistryAuthority is { Length: > 0 } authority) secrets["SYFT_REGISTRY_AUTH_AUTHORITY"] = authority;
        return secrets;
    }

    [GeneratedRegex("^[^@\\s]+@sha256:[0-9a-f]{64}$")]
    internal static partial Regex DigestReference();
}
