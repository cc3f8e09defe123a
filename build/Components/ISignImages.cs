using Vteam.Build.Engine;
using Vteam.Build.Policy.Provenance;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Cosign;

namespace Vteam.Build.Components;

/// <summary>
/// Cosign on every pushed image, by digest only: sign, attest the SPDX SBOM and an SLSA v1 provenance, verify all three.
/// An image that does not verify fails the run, and its SignatureRecord says so (Verified=false) for publishing to refuse it.
/// </summary>
public interface ISignImages : IGenerateSboms
{
    private static readonly HttpClient OidcHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Parameter("Path of the cosign binary (else PATH, the tool cache, or a download of the pinned release).")]
    string? CosignPath => TryGetValue(() => CosignPath);

    // Not "CosignMode"/"CosignTimeout": cosign itself reads every COSIGN_<FLAG> variable it inherits (COSIGN_TIMEOUT=5 would be 5ns).
    [Parameter("key, keyless or air-gapped (default: key when --cosign-key is set, air-gapped with --offline, else keyless on GitHub Actions).")]
    string? SigningMode => TryGetValue(() => SigningMode);

    [Parameter("The signing key: a path (cosign.key), env://VAR or a KMS URI (awskms://, gcpkms://, azurekms://, hashivault://).")]
    string? CosignKey => TryGetValue(() => CosignKey);

    [Parameter("The signing key's password (given to cosign as COSIGN_PASSWORD, never on a command line)."), Secret]
    string? CosignPassword => TryGetValue(() => CosignPassword);

    [Parameter("The key that verifies: a path, env://VAR or KMS URI (default: cosign.pub beside a cosign.key, or the KMS key itself).")]
    string? CosignPublicKey => TryGetValue(() => CosignPublicKey);

    [Parameter("Keyless: the certificate identity that must have signed (default on GitHub Actions: this workflow at this ref).")]
    string? CosignCertificateIdentity => TryGetValue(() => CosignCertificateIdentity);

    [Parameter("Keyless: a regular expression the certificate identity must match (instead of --cosign-certificate-identity).")]
    string? CosignCertificateIdentityRegexp => TryGetValue(() => CosignCertificateIdentityRegexp);

    [Parameter("Keyless: the OIDC issuer of the certificate (default on GitHub Actions: https://token.actions.githubusercontent.com).")]
    string? CosignCertificateOidcIssuer => TryGetValue(() => CosignCertificateOidcIssuer);

    [Parameter("Keyless: a regular expression the OIDC issuer must match.")]
    string? CosignCertificateOidcIssuerRegexp => TryGetValue(() => CosignCertificateOidcIssuerRegexp);

    [Parameter("Keyless: an OIDC identity token for Fulcio (else requested from GitHub Actions).", EnvironmentVariable = "SIGSTORE_ID_TOKEN"), Secret]
    string? SigstoreIdToken => TryGetValue(() => SigstoreIdToken);

    [Parameter("Set by GitHub Actions when the job may request an OIDC token (id-token: write).", EnvironmentVariable = "ACTIONS_ID_TOKEN_REQUEST_URL")]
    string? ActionsIdTokenRequestUrl => TryGetValue(() => ActionsIdTokenRequestUrl);

    [Parameter("Set by GitHub Actions: the bearer token for ACTIONS_ID_TOKEN_REQUEST_URL.", EnvironmentVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"), Secret]
    string? ActionsIdTokenRequestToken => TryGetValue(() => ActionsIdTokenRequestToken);

    [Parameter("Set by GitHub Actions: owner/repo/.github/workflows/file.yml@ref (builder id and keyless identity).", Name = "github-workflow-ref", EnvironmentVariable = "GITHUB_WORKFLOW_REF")]
    string? GitHubWorkflowRef => TryGetValue(() => GitHubWorkflowRef);

    [Parameter("Set by GitHub Actions: the server URL (default https://github.com).", Name = "github-server-url", EnvironmentVariable = "GITHUB_SERVER_URL")]
    string? GitHubServerUrl => TryGetValue(() => GitHubServerUrl);

    [Parameter("Set by GitHub Actions: the run id (provenance invocation, signature annotation).", Name = "github-run-id", EnvironmentVariable = "GITHUB_RUN_ID")]
    string? GitHubRunId => TryGetValue(() => GitHubRunId);

    [Parameter("Set by GitHub Actions: the run attempt.", Name = "github-run-attempt", EnvironmentVariable = "GITHUB_RUN_ATTEMPT")]
    string? GitHubRunAttempt => TryGetValue(() => GitHubRunAttempt);

    [Parameter("Set by GitHub Actions: the git ref being built.", Name = "github-ref", EnvironmentVariable = "GITHUB_REF")]
    string? GitHubRef => TryGetValue(() => GitHubRef);

    [Parameter("Allow a registry with a self-signed certificate or plain HTTP (cosign --allow-insecure-registry).")]
    bool? CosignAllowInsecureRegistry => TryGetValue(() => CosignAllowInsecureRegistry);

    [Parameter("Minutes one cosign call may take before it is killed (default 5).")]
    int? SigningTimeout => TryGetValue(() => SigningTimeout);

    [Parameter("How many images are signed or verified at once (default 2).")]
    int? SigningParallelism => TryGetValue(() => SigningParallelism);

    /// <summary>A key, a mode or an OIDC identity is at hand. Without one, signing targets that were not asked for by name skip (Secure on a laptop).</summary>
    bool SigningConfigured => SigningMode is { Length: > 0 } || CosignKey is { Length: > 0 } || SigstoreIdToken is { Length: > 0 } || ActionsIdTokenRequestUrl is { Length: > 0 };

    bool SigningWanted => SigningConfigured || IsRequested(nameof(SignImages)) || IsRequested(nameof(AttestImages)) || IsRequested(nameof(VerifyImages));

    AbsolutePath ProvenanceDirectory => ArtifactsDirectory / "provenance";
    AbsolutePath CosignSigningConfigFile => TemporaryDirectory / "cosign" / "signing-config.air-gapped.json";

    Target SignImages => _ => _
        .Description("Sign every pushed image by digest with cosign (key, keyless or air-gapped), annotated with commit, version and run.")
        .OnlyWhenDynamic(() => SigningWanted)
        .Executes(async cancellation =>
        {
            var (images, cosign, plan) = await PrepareSigningAsync(cancellation);
            if (images.Count == 0) return;
            var manifest = Manifest.Read();
            var provenance = ProvenanceContextFor(manifest);
            var annotations = new List<KeyValuePair<string, string>>();
            if (manifest.GitCommit is { Length: > 0 } commit) annotations.Add(new("org.opencontainers.image.revision", commit));
            if (manifest.Version is { Length: > 0 } version) annotations.Add(new("org.opencontainers.image.version", version));
            if (provenance.InvocationId is { } run) annotations.Add(new("workflow-run", run));

            // A new signature starts a new record: nothing verified before counts for this run.
            Manifest.Update(m =>
            {
                foreach (var image in images)
                    m.GetOrAdd(image.Component).Signature = new SignatureRecord { Mode = plan.Mode.Name, CosignVersion = cosign.Version.ToString(), Digest = image.Digest };
            });
            var outcomes = await new SigningStage(ToolRunner, cosign).SignAsync(images, plan, annotations, cancellation);
            Manifest.Update(m =>
            {
                foreach (var outcome in outcomes)
                    if (m.Find(outcome.Component)?.Signature is { } record)
                    {
                        record.Signed = outcome.Passed;
                        record.Failure = outcome.Failure;
                    }
            });
            Fail("SignImages", "could not be signed", outcomes.Where(o => !o.Passed).Select(o => o.Failure!).ToList(), outcomes.Count);
        });

    Target AttestImages => _ => _
        .Description("Attest every signed image's SPDX SBOM (--type spdxjson) and its SLSA v1 provenance (--type slsaprovenance1).")
        .OnlyWhenDynamic(() => SigningWanted)
        .DependsOn(SignImages, GenerateSboms)
        .Executes(async cancellation =>
        {
            var (images, cosign, plan) = await PrepareSigningAsync(cancellation);
            if (images.Count == 0) return;
            var manifest = Manifest.Read();
            var context = ProvenanceContextFor(manifest);
            var stage = new SigningStage(ToolRunner, cosign);
            var failures = new List<string>();
            using var slots = new SemaphoreSlim(plan.Parallelism);
            await Task.WhenAll(images.Select(async image =>
            {
                await slots.WaitAsync(cancellation);
                try
                {
                    var (sbom, provenancePath, provenance, problem) = await AttestOneAsync(stage, plan, manifest, image, context, cancellation);
                    Manifest.Update(m =>
                    {
                        var record = m.GetOrAdd(image.Component).Signature ??= new SignatureRecord { Mode = plan.Mode.Name, Digest = image.Digest };
                        record.SbomAttested = sbom;
                        record.ProvenanceAttested = provenance;
                        record.ProvenancePath = provenancePath;
                        if (problem is not null) record.Failure = problem;
                    });
                    if (problem is not null) lock (failures) failures.Add(problem);
                }
                finally
                {
                    slots.Release();
                }
            }));
            Fail("AttestImages", "could not be attested", failures, images.Count);
        });

    Target VerifyImages => _ => _
        .Description("Verify every image's signature, SBOM attestation and provenance with cosign; an image that does not verify fails the run and cannot be published.")
        .OnlyWhenDynamic(() => SigningWanted)
        .DependsOn(AttestImages)
        .Executes(async cancellation =>
        {
            var (images, cosign, plan) = await PrepareSigningAsync(cancellation);
            if (images.Count == 0) return;
            var outcomes = await new SigningStage(ToolRunner, cosign).VerifyAsync(images, plan, cancellation);
            var identity = plan.Verifier is CosignVerifier.Certificate c ? c.Identity ?? c.IdentityRegexp : null;
            var issuer = plan.Verifier is CosignVerifier.Certificate i ? i.Issuer ?? i.IssuerRegexp : null;
            Manifest.Update(m =>
            {
                foreach (var outcome in outcomes)
                {
                    var image = m.GetOrAdd(outcome.Component);
                    var record = image.Signature ??= new SignatureRecord { Mode = plan.Mode.Name, CosignVersion = cosign.Version.ToString() };
                    record.Digest = image.Digest;
                    record.Verified = outcome.Verified;
                    record.SbomVerified = outcome.Sbom.Verified;
                    record.ProvenanceVerified = outcome.Provenance.Verified;
                    record.Identity = outcome.Signature.Identity ?? identity;
                    record.Issuer = outcome.Signature.Issuer ?? issuer;
                    record.VerifiedAt = outcome.Verified ? DateTimeOffset.UtcNow : null;
                    record.Failure = outcome.Failure is { } failure ? Masker.Mask(failure) : null;
                }
            });
            Log.Table("Signatures", ["Image", "Signature", "SBOM", "Provenance"],
                outcomes.Select(o => (IReadOnlyList<string>)[o.Component, Mark(o.Signature), Mark(o.Sbom), Mark(o.Provenance)]));
            var failed = outcomes.Where(o => !o.Verified).ToList();
            foreach (var outcome in failed)
                Log.Report(DiagnosticSeverity.Error,
                    Masker.Mask($"{outcome.Component} ({outcome.DigestReference ?? "not pushed"}) does not verify: {outcome.Failure}. It will not be published. Check what verifies (--cosign-public-key, --cosign-certificate-identity, --cosign-certificate-oidc-issuer), or sign and attest this digest again (SignImages, AttestImages)."),
                    ruleId: "policy/signature");
            Fail("VerifyImages", "do not verify and will not be published", failed.Select(o => $"{o.Component}: {o.Failure}").ToList(), outcomes.Count);
        });

    /// <summary>Settings hook: the signing inputs of this run (parameters and the GitHub Actions context).</summary>
    SigningInputs SigningInputs => new()
    {
        Mode = SigningMode,
        Key = CosignKey is { Length: > 0 } key && new CosignKeyReference(key).IsFile ? Path.GetFullPath(key, RootDirectory) : CosignKey,
        Password = CosignPassword,
        PublicKey = CosignPublicKey is { Length: > 0 } pub && new CosignKeyReference(pub).IsFile ? Path.GetFullPath(pub, RootDirectory) : CosignPublicKey,
        IdentityToken = SigstoreIdToken,
        CertificateIdentity = CosignCertificateIdentity,
        CertificateIdentityRegexp = CosignCertificateIdentityRegexp,
        CertificateOidcIssuer = CosignCertificateOidcIssuer,
        CertificateOidcIssuerRegexp = CosignCertificateOidcIssuerRegexp,
        WorkflowRef = GitHubWorkflowRef,
        ServerUrl = GitHubServerUrl is { Length: > 0 } server ? server : "https://github.com",
        CanRequestOidcToken = ActionsIdTokenRequestUrl is { Length: > 0 },
        Offline = Offline == true,
        AllowInsecureRegistry = CosignAllowInsecureRegistry == true,
        Timeout = TimeSpan.FromMinutes(SigningTimeout ?? 5),
        Parallelism = SigningParallelism ?? 2,
    };

    private async Task<(IReadOnlyList<ImageRecord> Images, LocatedTool Cosign, SigningPlan Plan)> PrepareSigningAsync(CancellationToken cancellation)
    {
        var images = Manifest.Read().Images;
        if (images.Count == 0)
        {
            Log.Warning($"{ManifestFile}: no images to sign. Run BuildImages --push first.");
            return ([], null!, null!);
        }
        var unpushed = images.Where(i => i.DigestReference is null).Select(i => i.Component).ToList();
        if (unpushed.Count > 0)
            throw new InvalidOperationException(
                $"{ManifestFile}: {string.Join(", ", unpushed)} ha{(unpushed.Count == 1 ? "s" : "ve")} no pushed digest. Cosign signs by digest only: run BuildImages with --push first.");

        var inputs = SigningInputs;
        Masker.Register(inputs.Password);
        if (SigningConfiguration.ResolveMode(inputs) == "keyless" && inputs.IdentityToken is not { Length: > 0 }
            && ActionsIdTokenRequestUrl is { Length: > 0 } url && ActionsIdTokenRequestToken is { Length: > 0 } requestToken)
        {
            var token = await GitHubOidcToken.RequestAsync(OidcHttp, url, requestToken, cancellation);
            Masker.Register(token);
            inputs = inputs with { IdentityToken = token };
        }
        var cosign = await Tools.LocateAsync("cosign", CosignPath, Offline == true, cancellation);
        var plan = SigningConfiguration.Plan(inputs, cosign.Version, CosignSigningConfigFile);
        if (plan.Settings.SigningConfig is { } config)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(config)!);
            AtomicFile.WriteAllText(config, CosignCommands.AirGappedSigningConfig + "\n");
        }
        Log.Information($"Signing {images.Count} image(s) with cosign {cosign.Version}, {plan.Mode.Name} mode.");
        return (images, cosign, plan);
    }

    private async Task<(bool Sbom, string? ProvenancePath, bool Provenance, string? Problem)> AttestOneAsync(
        SigningStage stage, SigningPlan plan, BuildManifest manifest, ImageRecord image, ProvenanceContext context, CancellationToken cancellation)
    {
        var problems = new List<string>();
        var sbomAttested = false;
        if (image.Sbom is not { } sbom || !File.Exists(sbom.Path))
            problems.Add($"{image.Component}: no SBOM file in images.json; run GenerateSboms");
        else if (sbom.DescribedDigest != image.Digest)
            problems.Add($"{image.Component}: the SBOM {sbom.Path} describes {sbom.DescribedDigest ?? "no registry digest"}, not {image.Digest}; run GenerateSboms again");
        else
        {
            var outcome = await stage.AttestAsync(image, plan, sbom.Path, CosignCommands.SpdxJsonType, cancellation);
            sbomAttested = outcome.Passed;
            if (outcome.Failure is { } failure) problems.Add(failure);
        }

        string? path = null;
        var provenanceAttested = false;
        try
        {
            var predicate = SlsaProvenance.Serialize(SlsaProvenance.Predicate(manifest, image, context), Masker, image.Component);
            path = ProvenanceDirectory / $"{image.Component}.slsa.json";
            Directory.CreateDirectory(ProvenanceDirectory);
            AtomicFile.WriteAllText(path, predicate);
            var outcome = await stage.AttestAsync(image, plan, path, CosignCommands.SlsaProvenance1Type, cancellation);
            provenanceAttested = outcome.Passed;
            if (outcome.Failure is { } failure) problems.Add(failure);
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.Message);
        }
        return (sbomAttested, path, provenanceAttested, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private ProvenanceContext ProvenanceContextFor(BuildManifest manifest)
    {
        var started = manifest.CreatedAt ?? DateTimeOffset.UtcNow;
        return GitHubWorkflowRef is { Length: > 0 } workflowRef && GitHubOidcToken.RepositoryOf(workflowRef) is { } repository
            ? ProvenanceContext.FromGitHubActions(GitHubServerUrl is { Length: > 0 } s ? s : "https://github.com", repository, workflowRef,
                GitHubRunId, GitHubRunAttempt, GitHubRef, started, DateTimeOffset.UtcNow)
            : ProvenanceContext.Local(started, DateTimeOffset.UtcNow);
    }

    private static string Mark(CosignVerdict verdict) => verdict.Verified ? "verified" : "FAILED";

    private void Fail(string target, string what, IReadOnlyList<string> failures, int total)
    {
        if (failures.Count == 0) return;
        throw new InvalidOperationException(Masker.Mask(
            $"{target}: {failures.Count} of {total} image(s) {what}:{Environment.NewLine}" +
            string.Join(Environment.NewLine, failures.Select(f => "  - " + f))));
    }
}
