using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Builders;

namespace Vteam.Build.Tools.Cosign;

/// <summary>Where a signing key lives: a file, an environment variable (env://NAME) or a KMS (awskms://, gcpkms://, …).</summary>
public sealed record CosignKeyReference(string Value)
{
    private static readonly string[] KmsSchemes = ["awskms://", "gcpkms://", "azurekms://", "hashivault://", "k8s://", "pkcs11:", "gitlab://"];

    public bool IsEnvironment => Value.StartsWith("env://", StringComparison.Ordinal);
    public bool IsKms => KmsSchemes.Any(s => Value.StartsWith(s, StringComparison.Ordinal));
    public bool IsFile => !IsEnvironment && !IsKms;
    /// <summary>The variable an env:// key is read from.</summary>
    public string? EnvironmentVariable => IsEnvironment ? Value["env://".Length..] : null;

    public override string ToString() => Value;
}

/// <summary>How images are signed and attested.</summary>
public abstract record CosignSigningMode
{
    private CosignSigningMode() { }

    /// <summary>A key, with the signature recorded in the transparency log (Rekor).</summary>
    public sealed record Key(CosignKeyReference KeyReference) : CosignSigningMode;

    /// <summary>A key, without any transparency log: for private registries and air-gapped runs.</summary>
    public sealed record AirGapped(CosignKeyReference KeyReference) : CosignSigningMode;

    /// <summary>Fulcio certificate for the OIDC identity (GitHub Actions), recorded in Rekor.</summary>
    public sealed record Keyless : CosignSigningMode;

    public string Name => this switch { Key => "key", AirGapped => "air-gapped", Keyless => "keyless", _ => "?" };
}

/// <summary>What a signature must have been made with to verify.</summary>
public abstract record CosignVerifier
{
    private CosignVerifier() { }

    /// <summary>A public key (path, env:// or KMS); <paramref name="IgnoreTransparencyLog"/> for air-gapped signatures.</summary>
    public sealed record PublicKey(string KeyReference, bool IgnoreTransparencyLog) : CosignVerifier;

    /// <summary>A Fulcio certificate for this identity (exact or regexp) from this OIDC issuer (exact or regexp).</summary>
    public sealed record Certificate(string? Identity, string? IdentityRegexp, string? Issuer, string? IssuerRegexp) : CosignVerifier;
}

/// <summary>How cosign runs for this build: its version (v2 and v3 differ), the secrets it gets by environment.</summary>
public sealed record CosignSettings
{
    public required ToolVersion Version { get; init; }
    /// <summary>The private key's password: always passed as COSIGN_PASSWORD (may be empty), else cosign reads stdin.</summary>
    public string Password { get; init; } = "";
    /// <summary>Keyless: the OIDC identity token, passed as SIGSTORE_ID_TOKEN.</summary>
    public string? IdentityToken { get; init; }
    /// <summary>v3 air-gapped: a signing config listing no transparency log (see <see cref="CosignCommands.AirGappedSigningConfig"/>).</summary>
    public string? SigningConfig { get; init; }
    public bool AllowInsecureRegistry { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public bool IsV3 => Version.Major >= 3;
}

/// <summary>
/// Pure factories for cosign's command lines, v2.6 and v3.1 (tool-contracts.md §3, with §6 overriding):
/// always by digest, always --yes, the password only by environment, the transparency log switched off the
/// way each major version wants.
/// </summary>
public static partial class CosignCommands
{
    /// <summary>The critical.type of a legacy (.sig) image signature.</summary>
    public const string LegacySignatureType = "cosign container image signature";
    /// <summary>The critical.type of a v3 bundle image signature.</summary>
    public const string BundleSignatureType = "https://sigstore.dev/cosign/sign/v1";

    public const string SpdxJsonType = "spdxjson";
    public const string SlsaProvenance1Type = "slsaprovenance1";

    /// <summary>The in-toto predicate type each --type maps to.</summary>
    public static readonly IReadOnlyDictionary<string, string> PredicateTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SpdxJsonType] = "https://spdx.dev/Document",
        ["spdx"] = "https://spdx.dev/Document",
        [SlsaProvenance1Type] = "https://slsa.dev/provenance/v1",
    };

    public static readonly ToolExitCodes SignExitCodes = ToolExitCodes.Of([0], meanings: new Dictionary<int, string> { [1] = "error (see stderr)" });

    /// <summary>Verification that says no is an answer, not a crash: 1 and 10-13 come back as results, judged by <see cref="CosignOutput"/>.</summary>
    public static readonly ToolExitCodes VerifyExitCodes = ToolExitCodes.Of([0], [1, 10, 11, 12, 13], new Dictionary<int, string>
    {
        [1] = "not verified",
        [10] = "the image has no signature",
        [11] = "the signature tag does not exist",
        [12] = "no signature matches",
        [13] = "no certificate on the signature",
    });

    /// <summary>A Sigstore signing config (v0.2) without CA, transparency log or timestamp services: key signing, nothing uploaded.</summary>
    public const string AirGappedSigningConfig =
        """{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json","caUrls":[],"oidcUrls":[],"rekorTlogUrls":[],"tsaUrls":[],"rekorTlogConfig":{"selector":"ANY"},"tsaConfig":{"selector":"ANY"}}""";

    /// <summary><c>cosign sign --yes [--key K] [-a k=v …] [no tlog] REF@sha256:… …</c> (cosign signs several images in one call).</summary>
    public static ToolInvocation Sign(string cosign, CosignSettings settings, CosignSigningMode mode,
        IReadOnlyList<string> digestReferences, IReadOnlyList<KeyValuePair<string, string>>? annotations = null)
    {
        if (digestReferences.Count == 0) throw new ArgumentException("cosign sign needs at least one image.", nameof(digestReferences));
        foreach (var reference in digestReferences) RequireDigest(reference, "signs");
        CheckMode(settings, mode);
        var command = Cli.Wrap(cosign).WithArguments(a =>
        {
            a.Add("sign").Add("--yes");
            AddSigner(a, settings, mode);
            foreach (var (key, value) in annotations ?? [])
            {
                if (key.Length == 0 || key.Contains('=')) throw new ArgumentException($"The annotation key '{key}' must be non-empty and hold no '='.");
                a.Add("-a").Add($"{key}={value}");
            }
            AddRegistry(a, settings);
            foreach (var reference in digestReferences) a.Add(reference);
        });
        return new ToolInvocation("cosign", command, settings.Timeout, SignExitCodes, SecretEnvironment(settings, mode));
    }

    /// <summary><c>cosign attest --yes [--key K] --predicate FILE --type T [no tlog] REF@sha256:…</c>.</summary>
    public static ToolInvocation Attest(string cosign, CosignSettings settings, CosignSigningMode mode, string digestReference, string predicateFile, string type)
    {
        RequireDigest(digestReference, "attests");
        CheckMode(settings, mode);
        if (!PredicateTypes.ContainsKey(type)) throw new ArgumentException($"The attestation type '{type}' is not one the build verifies ({string.Join(", ", PredicateTypes.Keys)}).");
        var command = Cli.Wrap(cosign).WithArguments(a =>
        {
            a.Add("attest").Add("--yes");
            AddSigner(a, settings, mode);
            a.Add("--predicate").Add(predicateFile).Add("--type").Add(type);
            AddRegistry(a, settings);
            a.Add(digestReference);
        });
        return new ToolInvocation("cosign", command, settings.Timeout, SignExitCodes, SecretEnvironment(settings, mode));
    }

    /// <summary><c>cosign verify (--key K [--insecure-ignore-tlog] | --certificate-identity… --certificate-oidc-issuer…) --output json REF@sha256:…</c>.</summary>
    public static ToolInvocation Verify(string cosign, CosignSettings settings, CosignVerifier verifier, string digestReference)
    {
        RequireDigest(digestReference, "verifies");
        var command = Cli.Wrap(cosign).WithArguments(a =>
        {
            a.Add("verify");
            AddVerifier(a, verifier);
            a.Add("--output").Add("json");
            AddRegistry(a, settings);
            a.Add(digestReference);
        });
        return new ToolInvocation("cosign", command, settings.Timeout, VerifyExitCodes, VerifyEnvironment());
    }

    /// <summary><c>cosign verify-attestation (--key …|--certificate-…) --type T REF@sha256:…</c>: one DSSE envelope per line on stdout.</summary>
    public static ToolInvocation VerifyAttestation(string cosign, CosignSettings settings, CosignVerifier verifier, string digestReference, string type)
    {
        RequireDigest(digestReference, "verifies");
        if (!PredicateTypes.ContainsKey(type)) throw new ArgumentException($"The attestation type '{type}' is not one the build verifies ({string.Join(", ", PredicateTypes.Keys)}).");
        var command = Cli.Wrap(cosign).WithArguments(a =>
        {
            a.Add("verify-attestation");
            AddVerifier(a, verifier);
            a.Add("--type").Add(type);
            AddRegistry(a, settings);
            a.Add(digestReference);
        });
        return new ToolInvocation("cosign", command, settings.Timeout, VerifyExitCodes, VerifyEnvironment());
    }

    /// <summary>True when <paramref name="reference"/> is repository@sha256:&lt;64 hex&gt; (no tag).</summary>
    public static bool IsDigestReference(string reference) => DigestReference().IsMatch(reference);

    private static void RequireDigest(string reference, string verb)
    {
        if (!IsDigestReference(reference))
            throw new ArgumentException(
                $"cosign {verb} images by digest only, but '{reference}' is not repository@sha256:<64 hex> (a tag can be moved to another image after signing). " +
                "Use the digest BuildImages recorded in artifacts/images.json.");
    }

    private static void CheckMode(CosignSettings settings, CosignSigningMode mode)
    {
        if (mode is CosignSigningMode.Keyless && string.IsNullOrEmpty(settings.IdentityToken))
            throw new ArgumentException("Keyless signing needs an OIDC identity token (on GitHub Actions grant the job 'id-token: write'), or sign with --cosign-key.");
    }

    private static void AddSigner(ArgumentsBuilder a, CosignSettings settings, CosignSigningMode mode)
    {
        switch (mode)
        {
            case CosignSigningMode.Key key:
                a.Add("--key").Add(key.KeyReference.Value);
                break;
            case CosignSigningMode.AirGapped airGapped:
                a.Add("--key").Add(airGapped.KeyReference.Value);
                // §6: v3 refuses --tlog-upload=false while a signing config is in use, and uses one by default.
                if (!settings.IsV3) a.Add("--tlog-upload=false");
                else if (settings.SigningConfig is { Length: > 0 } config) a.Add("--signing-config").Add(config);
                else a.Add("--use-signing-config=false").Add("--tlog-upload=false");
                break;
            case CosignSigningMode.Keyless:
                break; // the token goes by SIGSTORE_ID_TOKEN, never argv
        }
    }

    private static void AddVerifier(ArgumentsBuilder a, CosignVerifier verifier)
    {
        switch (verifier)
        {
            case CosignVerifier.PublicKey key:
                a.Add("--key").Add(key.KeyReference);
                if (key.IgnoreTransparencyLog) a.Add("--insecure-ignore-tlog");
                break;
            case CosignVerifier.Certificate certificate:
                if (certificate.Identity is { Length: > 0 } identity) a.Add("--certificate-identity").Add(identity);
                else if (certificate.IdentityRegexp is { Length: > 0 } identityRegexp) a.Add("--certificate-identity-regexp").Add(identityRegexp);
                else throw new ArgumentException("Keyless verification needs a certificate identity (--cosign-certificate-identity or its regexp).");
                if (certificate.Issuer is { Length: > 0 } issuer) a.Add("--certificate-oidc-issuer").Add(issuer);
                else if (certificate.IssuerRegexp is { Length: > 0 } issuerRegexp) a.Add("--certificate-oidc-issuer-regexp").Add(issuerRegexp);
                else throw new ArgumentException("Keyless verification needs an OIDC issuer (--cosign-certificate-oidc-issuer or its regexp).");
                break;
        }
    }

    private static void AddRegistry(ArgumentsBuilder a, CosignSettings settings)
    {
        if (settings.AllowInsecureRegistry) a.Add("--allow-insecure-registry");
    }

    private static Dictionary<string, string> SecretEnvironment(CosignSettings settings, CosignSigningMode mode)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["COSIGN_PASSWORD"] = settings.Password };
        if (mode is CosignSigningMode.Keyless) environment["SIGSTORE_ID_TOKEN"] = settings.IdentityToken!;
        return environment;
    }

    // Verify reads no private key, but an empty COSIGN_PASSWORD keeps any prompt from waiting on stdin.
    private static Dictionary<string, string> VerifyEnvironment()
        => new(StringComparer.Ordinal) { ["COSIGN_PASSWORD"] = "" };

    [GeneratedRegex("^[^@\\s]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestReference();
}
