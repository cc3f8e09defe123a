using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FakeTools;

/// <summary>
/// cosign v2.6.4 / v3.1.2 as the build sees it (tool-contracts.md §3, §6 overriding): version, generate-key-pair, sign,
/// attest, verify, verify-attestation. Keys are real ECDSA P-256 (private key encrypted with COSIGN_PASSWORD), and every
/// signature and attestation is stored in FAKE_COSIGN_STORE under the image digest, signed with the key, so a verify
/// only passes for the same digest and the matching public key (or keyless identity).
/// Env: FAKE_COSIGN_VERSION = 3.1.2 (default) | 2.6.4; FAKE_COSIGN_STORE (required to sign/verify);
/// FAKE_COSIGN_SKIP_REGISTRY=1 (do not check the digest exists); FAKE_COSIGN_NO_NETWORK=1 (Fulcio/Rekor unreachable);
/// FAKE_COSIGN_MODE = crash | hang.
/// </summary>
public static class CosignFake
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const string PrivateKeyPem = "ENCRYPTED SIGSTORE PRIVATE KEY";
    private const string LegacyType = "cosign container image signature";
    private const string BundleType = "https://sigstore.dev/cosign/sign/v1";

    private static readonly Dictionary<string, string> PredicateTypes = new(StringComparer.Ordinal)
    {
        ["slsaprovenance"] = "https://slsa.dev/provenance/v0.2",
        ["slsaprovenance02"] = "https://slsa.dev/provenance/v0.2",
        ["slsaprovenance1"] = "https://slsa.dev/provenance/v1",
        ["link"] = "https://in-toto.io/Link/v1",
        ["spdx"] = "https://spdx.dev/Document",
        ["spdxjson"] = "https://spdx.dev/Document",
        ["cyclonedx"] = "https://cyclonedx.org/bom",
        ["vuln"] = "https://cosign.sigstore.dev/attestation/vuln/v1",
        ["openvex"] = "https://openvex.dev/ns",
        ["custom"] = "https://cosign.sigstore.dev/attestation/v1",
    };

    private static readonly FlagDef[] Global = [new("timeout", 't'), new("verbose", 'd', true), new("output-file")];

    private static readonly FlagDef[] Registry =
    [
        new("allow-insecure-registry", null, true), new("allow-http-registry", null, true), new("k8s-keychain", null, true),
        new("registry-username"), new("registry-password"), new("registry-token"), new("registry-cacert"), new("registry-client-cert"),
        new("registry-client-key"), new("registry-server-name"), new("registry-referrers-mode"), new("attachment-tag-prefix"),
    ];

    private static FlagDef[] SignFlags(bool v3, bool attest) =>
    [
        .. Global, .. Registry,
        new("key"), new("yes", 'y', true), new("tlog-upload", null, true), new("upload", null, true), new("recursive", 'r', true),
        new("rekor-url"), new("fulcio-url"), new("timestamp-server-url"), new("identity-token"), new("oidc-issuer"), new("oidc-client-id"),
        new("oidc-client-secret-file"), new("oidc-redirect-url"), new("oidc-provider"), new("oidc-disable-ambient-providers", null, true),
        new("certificate"), new("certificate-chain"), new("sk", null, true), new("slot"), new("insecure-skip-verify", null, true),
        new("new-bundle-format", null, true), new("use-signing-config", null, true), new("signing-config"), new("trusted-root"),
        new("tlog-upload-timeout"), new("issue-certificate", null, true),
        .. attest
            ? new FlagDef[] { new("predicate"), new("type"), new("replace", null, true), new("statement"), new("no-upload", null, true) }
            : [new("annotations", 'a'), new("payload"), new("output-signature"), new("output-payload"), new("output-certificate"), new("sign-container-identity"), new("attachment")],
        .. v3 ? new FlagDef[] { new("bundle") } : [],
    ];

    private static FlagDef[] VerifyFlags(bool attestation) =>
    [
        .. Global, .. Registry,
        new("key"), new("certificate-identity"), new("certificate-identity-regexp"), new("certificate-oidc-issuer"), new("certificate-oidc-issuer-regexp"),
        new("certificate-github-workflow-trigger"), new("certificate-github-workflow-sha"), new("certificate-github-workflow-name"),
        new("certificate-github-workflow-repository"), new("certificate-github-workflow-ref"), new("certificate"), new("certificate-chain"),
        new("ca-roots"), new("ca-intermediates"), new("insecure-ignore-tlog", null, true), new("insecure-ignore-sct", null, true),
        new("trusted-root"), new("use-signed-timestamps", null, true), new("rekor-url"), new("check-claims", null, true), new("local-image", null, true),
        new("offline", null, true), new("private-infrastructure", null, true), new("new-bundle-format", null, true), new("max-workers"),
        new("output", 'o'), new("signature-digest-algorithm"), new("sk", null, true), new("slot"),
        .. attestation ? new FlagDef[] { new("type"), new("policy") } : [new("annotations", 'a'), new("payload"), new("attachment"), new("signature")],
    ];

    public static int Run(string[] args)
    {
        var modes = new Modes("cosign");
        var version = Environment.GetEnvironmentVariable("FAKE_COSIGN_VERSION") ?? "3.1.2";
        var v3 = !version.StartsWith('2');
        if (args.Length == 0) { Console.Error.WriteLine("A tool for Container Signing, Verification and Storage in an OCI registry."); return 0; }
        return args[0] switch
        {
            "version" => Version(version),
            "generate-key-pair" => GenerateKeyPair(args[1..]),
            "sign" => modes.Misbehave("cosign") ?? Sign(args[1..], v3),
            "attest" => modes.Misbehave("cosign") ?? Attest(args[1..], v3),
            "verify" => modes.Misbehave("cosign") ?? Verify(args[1..], v3),
            "verify-attestation" => modes.Misbehave("cosign") ?? VerifyAttestation(args[1..], v3),
            var flag when flag.StartsWith('-') => Error($"unknown flag: {flag.Split('=')[0]}"),
            var other => Error($"unknown command \"{other}\" for \"cosign\""),
        };
    }

    private static int Version(string version)
    {
        Console.Out.WriteLine("  ______   ______        _______. __    _______ .__   __.");
        Console.Out.WriteLine(" /      | /  __  \\      /       ||  |  /  _____||  \\ |  |");
        Console.Out.WriteLine("cosign: A tool for Container Signing, Verification and Storage in an OCI registry.");
        Console.Out.WriteLine();
        Console.Out.WriteLine($"GitVersion:    v{version}");
        Console.Out.WriteLine("GitCommit:     d6d86c224e5899b54f56cbb063b79dc43abc11c2");
        Console.Out.WriteLine("GitTreeState:  clean");
        Console.Out.WriteLine("BuildDate:     2026-07-24T00:00:00Z");
        Console.Out.WriteLine("GoVersion:     go1.25.1");
        Console.Out.WriteLine("Compiler:      gc");
        Console.Out.WriteLine("Platform:      linux/amd64");
        return 0;
    }

    private static int GenerateKeyPair(string[] args)
    {
        var a = FlagParser.Cobra(args, [.. Global, new("output-key-prefix"), new("kms")]);
        if (a.Error is not null) return Error(a.Error);
        if (a.Has("kms")) return Error("fake cosign: KMS keys are not modelled");
        var prefix = a.Get("output-key-prefix") ?? "cosign";
        if (File.Exists(prefix + ".key")) return Error($"{prefix}.key already exists; the fake does not prompt to overwrite");
        var password = Password();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encrypted = key.ExportEncryptedPkcs8PrivateKey(password,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        File.WriteAllText(prefix + ".key", PemEncoding.WriteString(PrivateKeyPem, encrypted) + "\n");
        File.WriteAllText(prefix + ".pub", PemEncoding.WriteString("PUBLIC KEY", key.ExportSubjectPublicKeyInfo()) + "\n");
        Console.Error.WriteLine($"Private key written to {prefix}.key");
        Console.Error.WriteLine($"Public key written to {prefix}.pub");
        return 0;
    }

    // ---- signing -------------------------------------------------------------------------------------------

    private sealed record Signer(ECDsa? Key, string Fingerprint, string? Identity, string? Issuer);

    private static int Sign(string[] args, bool v3)
    {
        var a = FlagParser.Cobra(args, SignFlags(v3, attest: false));
        if (a.Error is not null) return Error(a.Error);
        if (a.Positionals.Count == 0) return Error("requires at least 1 arg(s), only received 0");
        if (CheckTransparencyFlags(a, v3, out var tlog) is { } flagError) return Error(flagError);
        if (Confirm(a, tlog) is { } declined) return declined;
        foreach (var text in a.Positionals)
            if (Target(text, "signing").Error is { } refused) return Error(refused);
        var (signer, signerError) = LoadSigner(a, tlog);
        if (signer is null) return Error(signerError!);
        var store = Store();
        if (store is null) return Error("fake cosign: FAKE_COSIGN_STORE is not set (where signatures are kept)");
        var annotations = new JsonObject();
        foreach (var annotation in a.All("annotations"))
        {
            var eq = annotation.IndexOf('=');
            if (eq <= 0) return Error($"unable to parse annotation: {annotation}");
            annotations[annotation[..eq]] = annotation[(eq + 1)..];
        }
        foreach (var text in a.Positionals)
        {
            var (reference, targetError) = Target(text, "signing");
            if (targetError is not null) return Error(targetError);
            var payload = new JsonObject
            {
                ["critical"] = new JsonObject
                {
                    ["identity"] = new JsonObject { ["docker-reference"] = reference.Name },
                    ["image"] = new JsonObject { ["docker-manifest-digest"] = reference.Digest },
                    ["type"] = LegacyType,
                },
                ["optional"] = annotations.Count == 0 ? null : annotations.DeepClone(),
            };
            Save(store, reference, signer, "signature", v3, tlog, payload.ToJsonString(), predicateType: null);
            Console.Error.WriteLine(v3 ? $"Pushing bundle as referrer of {reference.Name}@{reference.Digest}" : $"Pushing signature to: {reference.Name}");
        }
        return 0;
    }

    private static int Attest(string[] args, bool v3)
    {
        var a = FlagParser.Cobra(args, SignFlags(v3, attest: true));
        if (a.Error is not null) return Error(a.Error);
        if (a.Positionals.Count != 1) return Error($"accepts 1 arg(s), received {a.Positionals.Count}");
        if (CheckTransparencyFlags(a, v3, out var tlog) is { } flagError) return Error(flagError);
        var type = a.Get("type") ?? "custom";
        var predicateType = PredicateTypes.GetValueOrDefault(type) ?? (Uri.TryCreate(type, UriKind.Absolute, out _) ? type : null);
        if (predicateType is null) return Error($"invalid argument \"{type}\" for \"--type\" flag: invalid predicate type");
        if (a.Get("predicate") is not { } predicateFile) return Error("required flag(s) \"predicate\" not set");
        if (!File.Exists(predicateFile)) return Error($"open {predicateFile}: no such file or directory");
        JsonNode predicate;
        try
        {
            predicate = JsonNode.Parse(File.ReadAllText(predicateFile)) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            return Error($"invalid predicate: {e.Message}");
        }
        var (reference, targetError) = Target(a.Positionals[0], "attesting");
        if (targetError is not null) return Error(targetError);
        if (Confirm(a, tlog) is { } declined) return declined;
        var (signer, signerError) = LoadSigner(a, tlog);
        if (signer is null) return Error(signerError!);
        var store = Store();
        if (store is null) return Error("fake cosign: FAKE_COSIGN_STORE is not set (where signatures are kept)");
        var statement = new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v0.1",
            ["predicateType"] = predicateType,
            ["subject"] = new JsonArray(new JsonObject { ["name"] = reference.Name, ["digest"] = new JsonObject { ["sha256"] = reference.Digest!["sha256:".Length..] } }),
            ["predicate"] = predicate,
        };
        Save(store, reference, signer, "attestation", v3, tlog, statement.ToJsonString(), predicateType);
        Console.Error.WriteLine($"Using payload from: {predicateFile}");
        return 0;
    }

    /// <summary>§6: v3 refuses --tlog-upload=false while a signing config is in use (the default); v2 has no signing config by default.</summary>
    private static string? CheckTransparencyFlags(ParsedArgs a, bool v3, out bool tlog)
    {
        tlog = !a.Has("tlog-upload") || a.Flag("tlog-upload");
        if (a.Has("signing-config") && a.Has("use-signing-config"))
            return "if any flags in the group [signing-config use-signing-config] are set none of the others can be; [signing-config use-signing-config] were all set";
        var useSigningConfig = a.Has("signing-config") || (a.Has("use-signing-config") ? a.Flag("use-signing-config") : v3);
        if (useSigningConfig && a.Has("tlog-upload") && !a.Flag("tlog-upload"))
            return "--tlog-upload=false is not supported with --signing-config or --use-signing-config. Provide a signing config with --signing-config without a transparency log service, which can be created with `cosign signing-config create`";
        if (a.Get("signing-config") is { } config)
        {
            if (!File.Exists(config)) return $"error reading signing config: open {config}: no such file or directory";
            try
            {
                var json = JsonNode.Parse(File.ReadAllText(config))!;
                if (json["mediaType"]?.GetValue<string>() != "application/vnd.dev.sigstore.signingconfig.v0.2+json")
                    return $"error reading signing config: unsupported media type {json["mediaType"]}";
                tlog = json["rekorTlogUrls"] is JsonArray { Count: > 0 };
            }
            catch (JsonException e)
            {
                return $"error reading signing config: {e.Message}";
            }
        }
        return null;
    }

    /// <summary>§6: with the tlog on and no --yes, cosign asks on stdin; empty stdin is a "no".</summary>
    private static int? Confirm(ParsedArgs a, bool tlog)
    {
        if (a.Flag("yes") || !tlog) return null;
        Console.Error.WriteLine("The sigstore service, hosted by sigstore a Series of LF Projects, LLC, is provided pursuant to the Hosted Project Tools Terms of Use...");
        Console.Error.Write("Are you sure you would like to continue? [y/N] ");
        var answer = Console.In.ReadLine();
        return answer?.Trim() is "y" or "Y" ? null : Error("signing: user declined the terms of use");
    }

    private static (Signer? Signer, string? Error) LoadSigner(ParsedArgs a, bool tlog)
    {
        if (tlog && Environment.GetEnvironmentVariable("FAKE_COSIGN_NO_NETWORK") == "1")
            return (null, "signing: uploading to the transparency log: Post \"https://rekor.sigstore.dev/api/v1/log/entries\": dial tcp: lookup rekor.sigstore.dev: no such host");
        if (a.Get("key") is { } keyRef)
        {
            var (pem, error) = ReadKeyText(keyRef);
            if (error is not null) return (null, $"signing: getting signer: reading key: {error}");
            if (!pem!.Contains($"BEGIN {PrivateKeyPem}", StringComparison.Ordinal)) return (null, "signing: getting signer: reading key: unsupported pem type");
            var password = Password();
            try
            {
                var key = ECDsa.Create();
                key.ImportFromEncryptedPem(pem.Replace(PrivateKeyPem, "ENCRYPTED PRIVATE KEY"), password);
                return (new Signer(key, Fingerprint(key.ExportSubjectPublicKeyInfo()), null, null), null);
            }
            catch (CryptographicException)
            {
                return (null, "signing: getting signer: reading key: decrypt: encrypted: decryption failed");
            }
        }
        var token = a.Get("identity-token") ?? Environment.GetEnvironmentVariable("SIGSTORE_ID_TOKEN");
        if (string.IsNullOrEmpty(token))
            return (null, "signing: getting signer: getting key from Fulcio: retrieving cert: no identity token: interactive sign-in is impossible without a terminal");
        if (Environment.GetEnvironmentVariable("FAKE_COSIGN_NO_NETWORK") == "1")
            return (null, "signing: getting signer: getting key from Fulcio: Post \"https://fulcio.sigstore.dev/api/v2/signingCert\": dial tcp: lookup fulcio.sigstore.dev: no such host");
        var claims = JwtClaims(token);
        if (claims is null) return (null, "signing: getting signer: getting key from Fulcio: oidc: malformed jwt");
        var issuer = claims["iss"]?.GetValue<string>() ?? "";
        var identity = claims["job_workflow_ref"] is { } workflowRef ? $"https://github.com/{workflowRef.GetValue<string>()}"
            : claims["email"]?.GetValue<string>() ?? claims["sub"]?.GetValue<string>() ?? "";
        return (new Signer(ECDsa.Create(ECCurve.NamedCurves.nistP256), "keyless", identity, issuer), null);
    }

    private static (ImageRef Reference, string? Error) Target(string text, string verb)
    {
        if (RegistryProbe.Parse(text) is not { } reference) return (null!, $"parsing reference: could not parse reference: {text}");
        if (reference.Digest is null)
            return (null!, $"fake cosign: refusing {verb} '{text}': it names a tag, which can be moved after signing; the build must use repository@sha256:<digest>");
        if (Environment.GetEnvironmentVariable("FAKE_COSIGN_SKIP_REGISTRY") != "1" && RegistryProbe.Resolve(reference, out _) is { } error)
            return (null!, $"{verb} [{text}]: accessing entity: {error}");
        return (reference, null);
    }

    private static void Save(string store, ImageRef reference, Signer signer, string kind, bool bundle, bool tlog, string payload, string? predicateType)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var entry = new JsonObject
        {
            ["kind"] = kind,
            ["repository"] = reference.Name,
            ["digest"] = reference.Digest,
            ["fingerprint"] = signer.Fingerprint,
            ["publicKey"] = Convert.ToBase64String(signer.Key!.ExportSubjectPublicKeyInfo()),
            ["identity"] = signer.Identity,
            ["issuer"] = signer.Issuer,
            ["bundle"] = bundle,
            ["tlog"] = tlog,
            ["predicateType"] = predicateType,
            ["payload"] = Convert.ToBase64String(bytes),
            ["signature"] = Convert.ToBase64String(signer.Key.SignData(bytes, HashAlgorithmName.SHA256)),
        };
        var directory = Path.Combine(store, reference.Digest!.Replace(':', '-'));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"{kind}-{signer.Fingerprint[..Math.Min(16, signer.Fingerprint.Length)]}-{Guid.NewGuid():N}.json"), entry.ToJsonString());
    }

    // ---- verification --------------------------------------------------------------------------------------

    private sealed record Verifier(ECDsa? Key, string? Identity, string? IdentityRegexp, string? Issuer, string? IssuerRegexp, bool IgnoreTlog);

    private static int Verify(string[] args, bool v3)
    {
        var a = FlagParser.Cobra(args, VerifyFlags(attestation: false));
        if (a.Error is not null) return Error(a.Error);
        if (a.Positionals.Count == 0) return Error("requires at least 1 arg(s), only received 0");
        if (a.Get("output") is { } output && output is not ("json" or "text")) return Error($"unsupported output format {output}");
        var (verifier, verifierError) = LoadVerifier(a);
        if (verifier is null) return Error(verifierError!);
        var store = Store();
        if (store is null) return Error("fake cosign: FAKE_COSIGN_STORE is not set (where signatures are kept)");
        var printed = new JsonArray();
        foreach (var text in a.Positionals)
        {
            if (Target(text, "verifying").Error is { } targetError) return Error(targetError);
            var reference = RegistryProbe.Parse(text)!;
            var all = Entries(store, reference.Digest!);
            // v3 looks for bundles (signatures and attestations alike, §6) first and falls back to legacy .sig; v2 reads .sig only.
            var bundles = all.Where(e => e["bundle"]!.GetValue<bool>()).ToList();
            var legacy = all.Where(e => !e["bundle"]!.GetValue<bool>() && e["kind"]!.GetValue<string>() == "signature").ToList();
            var bundlePath = v3 && bundles.Count > 0;
            var candidates = bundlePath ? bundles : legacy;
            if (candidates.Count == 0)
                return Error($"no signatures found for image {text}", 10);
            var (matched, why) = Match(candidates, verifier);
            if (matched.Count == 0) return Error($"no matching signatures: {why}", bundlePath ? 1 : 12);
            foreach (var entry in matched) printed.Add(VerifyEntry(entry, text, bundlePath));
            Console.Error.WriteLine();
            Console.Error.WriteLine($"Verification for {text} --");
            Console.Error.WriteLine("The following checks were performed on each of these signatures:");
            Console.Error.WriteLine("  - The cosign claims were validated");
            Console.Error.WriteLine(verifier.IgnoreTlog ? "  - The claims were present in the transparency log was skipped (--insecure-ignore-tlog)" : "  - Existence of the claims in the transparency log was verified offline");
            Console.Error.WriteLine(verifier.Key is not null ? "  - The signatures were verified against the specified public key" : "  - The code-signing certificate was verified using trusted certificate authority certificates");
        }
        Console.Out.WriteLine();
        Console.Out.WriteLine(printed.ToJsonString(Relaxed));
        return 0;
    }

    private static int VerifyAttestation(string[] args, bool v3)
    {
        var a = FlagParser.Cobra(args, VerifyFlags(attestation: true));
        if (a.Error is not null) return Error(a.Error);
        if (a.Positionals.Count == 0) return Error("requires at least 1 arg(s), only received 0");
        var (verifier, verifierError) = LoadVerifier(a);
        if (verifier is null) return Error(verifierError!);
        var type = a.Get("type") ?? "custom";
        var predicateType = PredicateTypes.GetValueOrDefault(type) ?? type;
        var store = Store();
        if (store is null) return Error("fake cosign: FAKE_COSIGN_STORE is not set (where signatures are kept)");
        var lines = new List<string>();
        foreach (var text in a.Positionals)
        {
            if (Target(text, "verifying").Error is { } targetError) return Error(targetError);
            var reference = RegistryProbe.Parse(text)!;
            var attestations = Entries(store, reference.Digest!).Where(e => e["kind"]!.GetValue<string>() == "attestation")
                .Where(e => v3 || !e["bundle"]!.GetValue<bool>()).ToList();
            if (attestations.Count == 0) return Error($"no attestations found for image {text}", v3 ? 1 : 10);
            var (matched, why) = Match(attestations, verifier);
            if (matched.Count == 0) return Error($"no matching attestations: {why}", 1);
            var ofType = matched.Where(e => e["predicateType"]?.GetValue<string>() == predicateType).ToList();
            if (ofType.Count == 0) return Error($"none of the attestations matched the predicate type: {predicateType}, found: {string.Join(",", matched.Select(m => m["predicateType"]))}", 1);
            foreach (var entry in ofType)
                lines.Add(new JsonObject
                {
                    ["payloadType"] = "application/vnd.in-toto+json",
                    ["payload"] = entry["payload"]!.GetValue<string>(),
                    ["signatures"] = new JsonArray(new JsonObject { ["keyid"] = "", ["sig"] = entry["signature"]!.GetValue<string>() }),
                }.ToJsonString(Relaxed));
            Console.Error.WriteLine($"Verification for {text} --");
            Console.Error.WriteLine("The following checks were performed on each of these signatures:");
            Console.Error.WriteLine("  - The cosign claims were validated");
        }
        foreach (var line in lines) Console.Out.WriteLine(line);
        return 0;
    }

    private static (Verifier? Verifier, string? Error) LoadVerifier(ParsedArgs a)
    {
        var ignoreTlog = a.Flag("insecure-ignore-tlog");
        if (a.Get("key") is { } keyRef)
        {
            if (a.Has("certificate-identity") || a.Has("certificate-identity-regexp"))
                return (null, "fake cosign: --key and --certificate-identity together: the build must choose one way to verify");
            var (pem, error) = ReadKeyText(keyRef);
            if (error is not null) return (null, $"loading public key: {error}");
            if (pem!.Contains($"BEGIN {PrivateKeyPem}", StringComparison.Ordinal)) return (null, $"loading public key: unsupported pem type: {PrivateKeyPem}");
            try
            {
                var key = ECDsa.Create();
                key.ImportFromPem(pem);
                return (new Verifier(key, null, null, null, null, ignoreTlog), null);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                return (null, "loading public key: PEM decoding failed");
            }
        }
        var identity = a.Get("certificate-identity");
        var identityRegexp = a.Get("certificate-identity-regexp");
        var issuer = a.Get("certificate-oidc-issuer");
        var issuerRegexp = a.Get("certificate-oidc-issuer-regexp");
        if (identity is null && identityRegexp is null)
            return (null, "--certificate-identity or --certificate-identity-regexp is required for verification in keyless mode");
        if (issuer is null && issuerRegexp is null)
            return (null, "--certificate-oidc-issuer or --certificate-oidc-issuer-regexp is required for verification in keyless mode");
        return (new Verifier(null, identity, identityRegexp, issuer, issuerRegexp, ignoreTlog), null);
    }

    private static (List<JsonObject> Matched, string Why) Match(List<JsonObject> entries, Verifier verifier)
    {
        var matched = new List<JsonObject>();
        var reasons = new List<string>();
        foreach (var entry in entries)
        {
            var payload = Convert.FromBase64String(entry["payload"]!.GetValue<string>());
            var signature = Convert.FromBase64String(entry["signature"]!.GetValue<string>());
            if (verifier.Key is not null)
            {
                if (entry["fingerprint"]!.GetValue<string>() == "keyless" || !verifier.Key.VerifyData(payload, signature, HashAlgorithmName.SHA256))
                {
                    reasons.Add("invalid signature when validating ASN.1 encoded signature");
                    continue;
                }
            }
            else
            {
                var identity = entry["identity"]?.GetValue<string>();
                var issuer = entry["issuer"]?.GetValue<string>();
                if (identity is null)
                {
                    reasons.Add("no certificate found on signature");
                    continue;
                }
                var identityOk = verifier.Identity is not null ? verifier.Identity == identity : Regex.IsMatch(identity, verifier.IdentityRegexp!);
                var issuerOk = verifier.Issuer is not null ? verifier.Issuer == issuer : Regex.IsMatch(issuer ?? "", verifier.IssuerRegexp!);
                if (!identityOk || !issuerOk)
                {
                    reasons.Add($"none of the expected identities matched what was in the certificate, got subjects [{identity}] with issuer {issuer}");
                    continue;
                }
                using var key = ECDsa.Create();
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(entry["publicKey"]!.GetValue<string>()), out _);
                if (!key.VerifyData(payload, signature, HashAlgorithmName.SHA256)) { reasons.Add("invalid signature"); continue; }
            }
            if (!entry["tlog"]!.GetValue<bool>() && !verifier.IgnoreTlog)
            {
                reasons.Add("signature not found in transparency log");
                continue;
            }
            matched.Add(entry);
        }
        return (matched, string.Join("; ", reasons.Distinct()));
    }

    private static JsonObject VerifyEntry(JsonObject entry, string passedReference, bool bundlePath)
    {
        var payload = JsonNode.Parse(Convert.FromBase64String(entry["payload"]!.GetValue<string>()))!.AsObject();
        if (!bundlePath)
        {
            // Legacy: the simple-signing payload as signed; keyless adds the certificate's fields to optional.
            if (entry["identity"]?.GetValue<string>() is { } subject)
            {
                var optional = payload["optional"] as JsonObject ?? new JsonObject();
                optional["Subject"] = subject;
                optional["Issuer"] = entry["issuer"]?.GetValue<string>();
                optional["1.3.6.1.4.1.57264.1.1"] = entry["issuer"]?.GetValue<string>();
                payload["optional"] = optional;
            }
            return payload;
        }
        // v3 bundle: rebuilt from the in-toto statement; type is the predicate type, optional the subject annotations.
        var isSignature = entry["kind"]!.GetValue<string>() == "signature";
        return new JsonObject
        {
            ["critical"] = new JsonObject
            {
                ["identity"] = new JsonObject { ["docker-reference"] = passedReference },
                ["image"] = new JsonObject { ["docker-manifest-digest"] = entry["digest"]!.GetValue<string>() },
                ["type"] = isSignature ? BundleType : entry["predicateType"]!.GetValue<string>(),
            },
            ["optional"] = isSignature ? payload["optional"]?.DeepClone() : null,
        };
    }

    private static List<JsonObject> Entries(string store, string digest)
    {
        var directory = Path.Combine(store, digest.Replace(':', '-'));
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList()
            : [];
    }

    // ---- keys and secrets ----------------------------------------------------------------------------------

    private static (string? Pem, string? Error) ReadKeyText(string keyRef)
    {
        if (keyRef.StartsWith("env://", StringComparison.Ordinal))
        {
            var name = keyRef["env://".Length..];
            return Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? (value, null) : (null, $"environment variable {name} is empty or not set");
        }
        if (Regex.IsMatch(keyRef, "^(awskms|gcpkms|azurekms|hashivault|k8s|gitlab)://"))
            return (null, $"fake cosign: KMS keys are not modelled ({keyRef.Split("://")[0]})");
        return File.Exists(keyRef) ? (File.ReadAllText(keyRef), null) : (null, $"open {keyRef}: no such file or directory");
    }

    /// <summary>§6: COSIGN_PASSWORD, else one line from stdin (no TTY), trailing newline included.</summary>
    private static string Password()
    {
        if (Environment.GetEnvironmentVariable("COSIGN_PASSWORD") is { } password) return password;
        var builder = new StringBuilder();
        int c;
        while ((c = Console.In.Read()) >= 0)
        {
            builder.Append((char)c);
            if (c == '\n') break;
        }
        return builder.ToString();
    }

    private static JsonObject? JwtClaims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var body = parts[1].Replace('-', '+').Replace('_', '/');
            body = body.PadRight(body.Length + (4 - body.Length % 4) % 4, '=');
            return JsonNode.Parse(Convert.FromBase64String(body)) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Fingerprint(byte[] publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey));

    private static string? Store() => Environment.GetEnvironmentVariable("FAKE_COSIGN_STORE") is { Length: > 0 } store ? store : null;

    /// <summary>cosign prints `Error: …` and a main.go line on stderr (§6), exit 1 unless the legacy path gives 10-13.</summary>
    private static int Error(string message, int code = 1)
    {
        Console.Error.WriteLine($"Error: {message}");
        Console.Error.WriteLine($"main.go:74: error during command execution: {message}");
        return code;
    }
}
