namespace Vteam.Build.Tools.Cosign;

/// <summary>The signing parameters of a run, as given (CLI, environment, parameters.json); secrets included, never printed.</summary>
public sealed record SigningInputs
{
    public string? Mode { get; init; }
    public string? Key { get; init; }
    public string? Password { get; init; }
    public string? PublicKey { get; init; }
    public string? IdentityToken { get; init; }
    public string? CertificateIdentity { get; init; }
    public string? CertificateIdentityRegexp { get; init; }
    public string? CertificateOidcIssuer { get; init; }
    public string? CertificateOidcIssuerRegexp { get; init; }
    /// <summary>GITHUB_WORKFLOW_REF (owner/repo/.github/workflows/f.yml@ref): the default keyless identity.</summary>
    public string? WorkflowRef { get; init; }
    public string ServerUrl { get; init; } = "https://github.com";
    /// <summary>ACTIONS_ID_TOKEN_REQUEST_URL is set: the job may request an OIDC token.</summary>
    public bool CanRequestOidcToken { get; init; }
    public bool Offline { get; init; }
    public bool AllowInsecureRegistry { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    public int Parallelism { get; init; } = 2;
}

/// <summary>
/// Decides, without I/O, how a run signs and verifies: key, keyless or air-gapped; which public key or certificate
/// identity verifies; and checks that everything each mode needs is there, reporting every problem at once.
/// </summary>
public static class SigningConfiguration
{
    public static readonly IReadOnlyList<string> Modes = ["key", "keyless", "air-gapped"];

    /// <summary>The mode: as given, else key (air-gapped with --offline) when a key is set, else keyless when an OIDC token can be had.</summary>
    public static string ResolveMode(SigningInputs inputs)
    {
        if (inputs.Mode is { Length: > 0 } mode)
        {
            var normalized = mode.Trim().ToLowerInvariant().Replace("_", "-").Replace("airgapped", "air-gapped");
            return Modes.Contains(normalized) ? normalized
                : throw new ArgumentException($"--signing-mode '{mode}' is not one of {string.Join(", ", Modes)}.");
        }
        if (inputs.Key is { Length: > 0 }) return inputs.Offline ? "air-gapped" : "key";
        if (inputs.IdentityToken is { Length: > 0 } || inputs.CanRequestOidcToken) return "keyless";
        throw new ArgumentException(
            "Signing needs a key or an OIDC identity: pass --cosign-key (a path, env://VAR or a KMS URI; password in COSIGN_PASSWORD), " +
            "or run on GitHub Actions with `permissions: id-token: write` for keyless signing.");
    }

    /// <summary>The plan for a cosign of this version. <paramref name="signingConfigFile"/> is where a v3 air-gapped signing config is written.</summary>
    public static SigningPlan Plan(SigningInputs inputs, ToolVersion cosignVersion, string? signingConfigFile)
    {
        var mode = ResolveMode(inputs);
        var problems = new List<string>();
        CosignSigningMode signing;
        CosignVerifier verifier;
        if (mode == "keyless")
        {
            signing = new CosignSigningMode.Keyless();
            if (inputs.IdentityToken is not { Length: > 0 })
                problems.Add("keyless signing has no OIDC identity token (SIGSTORE_ID_TOKEN, or ACTIONS_ID_TOKEN_REQUEST_URL with `permissions: id-token: write`)");
            var identity = inputs.CertificateIdentity is { Length: > 0 } i ? i
                : inputs.CertificateIdentityRegexp is { Length: > 0 } ? null
                : inputs.WorkflowRef is { Length: > 0 } workflowRef ? GitHubOidcToken.IdentityOf(inputs.ServerUrl, workflowRef) : null;
            var identityRegexp = identity is null ? inputs.CertificateIdentityRegexp : null;
            if (identity is null && identityRegexp is null)
                problems.Add("keyless verification needs --cosign-certificate-identity (or -regexp); on GitHub Actions it defaults to the workflow (GITHUB_WORKFLOW_REF)");
            var issuer = inputs.CertificateOidcIssuer is { Length: > 0 } s ? s
                : inputs.CertificateOidcIssuerRegexp is { Length: > 0 } ? null
                : inputs.WorkflowRef is { Length: > 0 } || inputs.CanRequestOidcToken ? GitHubOidcToken.Issuer : null;
            var issuerRegexp = issuer is null ? inputs.CertificateOidcIssuerRegexp : null;
            if (issuer is null && issuerRegexp is null)
                problems.Add("keyless verification needs --cosign-certificate-oidc-issuer (or -regexp); on GitHub Actions it defaults to " + GitHubOidcToken.Issuer);
            verifier = new CosignVerifier.Certificate(identity, identityRegexp, issuer, issuerRegexp);
        }
        else
        {
            var key = new CosignKeyReference(inputs.Key ?? "");
            if (inputs.Key is not { Length: > 0 }) problems.Add($"{mode} signing needs --cosign-key (a path, env://VAR or a KMS URI)");
            else if (key.IsFile && !File.Exists(key.Value)) problems.Add($"the cosign key {key.Value} does not exist");
            signing = mode == "air-gapped" ? new CosignSigningMode.AirGapped(key) : new CosignSigningMode.Key(key);
            var publicKey = inputs.PublicKey is { Length: > 0 } given ? given : DerivePublicKey(key);
            if (publicKey is null)
                problems.Add($"verification needs the public key of {key.Value}: pass --cosign-public-key (a path, env://VAR or a KMS URI)");
            verifier = new CosignVerifier.PublicKey(publicKey ?? "", IgnoreTransparencyLog: mode == "air-gapped");
        }
        if (problems.Count > 0)
            throw new ArgumentException("Signing is not configured:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));

        var settings = new CosignSettings
        {
            Version = cosignVersion,
            Password = inputs.Password ?? "",
            IdentityToken = inputs.IdentityToken,
            SigningConfig = mode == "air-gapped" && cosignVersion.Major >= 3 ? signingConfigFile : null,
            AllowInsecureRegistry = inputs.AllowInsecureRegistry,
            Timeout = inputs.Timeout,
        };
        return new SigningPlan(settings, signing, verifier, Math.Max(1, inputs.Parallelism));
    }

    /// <summary>A KMS key verifies with its own URI; cosign.key with the cosign.pub beside it.</summary>
    private static string? DerivePublicKey(CosignKeyReference key)
    {
        if (key.IsKms) return key.Value;
        if (key.IsFile && key.Value.EndsWith(".key", StringComparison.Ordinal))
        {
            var beside = key.Value[..^".key".Length] + ".pub";
            return File.Exists(beside) ? beside : null;
        }
        return null;
    }
}
