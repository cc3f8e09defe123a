using Vteam.Build.Components;
using Vteam.Build.Engine;

namespace Vteam.Build.Tools.Cosign;

/// <summary>How this run signs and verifies: cosign's settings, the signing mode, the verifier, how many images at once.</summary>
public sealed record SigningPlan(CosignSettings Settings, CosignSigningMode Mode, CosignVerifier Verifier, int Parallelism);

/// <summary>One cosign step on one image (sign, or one attestation).</summary>
public sealed record SigningStepOutcome(string Component, string? DigestReference, string? Failure, bool Skipped = false)
{
    public bool Passed => Failure is null;
}

/// <summary>Verification of one image: its signature, its SBOM attestation and its provenance, each for the current digest.</summary>
public sealed record VerificationOutcome(string Component, string? DigestReference, CosignVerdict Signature, CosignVerdict Sbom, CosignVerdict Provenance)
{
    public bool Verified => Signature.Verified && Sbom.Verified && Provenance.Verified;

    public string? Failure => Verified ? null : string.Join("; ", new[] { ("signature", Signature), ("SBOM attestation", Sbom), ("provenance", Provenance) }
        .Where(v => !v.Item2.Verified).Select(v => $"{v.Item1}: {v.Item2.Detail}"));
}

/// <summary>Cosign over the images of a run, per image and bounded; every reference is repository@digest.</summary>
public sealed class SigningStage(ToolRunner runner, LocatedTool cosign)
{
    public Task<IReadOnlyList<SigningStepOutcome>> SignAsync(IReadOnlyList<ImageRecord> images, SigningPlan plan,
        IReadOnlyList<KeyValuePair<string, string>> annotations, CancellationToken cancellation)
        => ForEach(images, plan.Parallelism, async image =>
        {
            if (image.DigestReference is not { } reference) return NotPushed(image, "signed");
            return await Step(image, reference, "signed",
                () => runner.RunAsync(CosignCommands.Sign(cosign.Path, plan.Settings, plan.Mode, [reference], annotations), cancellation));
        });

    public async Task<SigningStepOutcome> AttestAsync(ImageRecord image, SigningPlan plan, string predicateFile, string type, CancellationToken cancellation)
    {
        if (image.DigestReference is not { } reference) return NotPushed(image, "attested");
        return await Step(image, reference, $"{type} attested",
            () => runner.RunAsync(CosignCommands.Attest(cosign.Path, plan.Settings, plan.Mode, reference, predicateFile, type), cancellation));
    }

    public Task<IReadOnlyList<VerificationOutcome>> VerifyAsync(IReadOnlyList<ImageRecord> images, SigningPlan plan, CancellationToken cancellation)
        => ForEach(images, plan.Parallelism, async image =>
        {
            if (image.DigestReference is not { } reference || image.Digest is not { } digest)
            {
                var missing = new CosignVerdict(false, "the image has no digest in images.json (not pushed)");
                return new VerificationOutcome(image.Component, null, missing, missing, missing);
            }
            Log.Status(image.Component, $"verifying {reference}");
            var signature = await Check(() => runner.RunAsync(CosignCommands.Verify(cosign.Path, plan.Settings, plan.Verifier, reference), cancellation),
                stdout => CosignOutput.CheckSignatures(CosignOutput.ParseVerify(stdout), digest));
            var sbom = await CheckAttestation(reference, digest, CosignCommands.SpdxJsonType, plan, cancellation);
            var provenance = await CheckAttestation(reference, digest, CosignCommands.SlsaProvenance1Type, plan, cancellation);
            var outcome = new VerificationOutcome(image.Component, reference, signature, sbom, provenance);
            Log.Status(image.Component, outcome.Verified ? "verified" : "NOT VERIFIED");
            return outcome;
        });

    private Task<CosignVerdict> CheckAttestation(string reference, string digest, string type, SigningPlan plan, CancellationToken cancellation)
        => Check(() => runner.RunAsync(CosignCommands.VerifyAttestation(cosign.Path, plan.Settings, plan.Verifier, reference, type), cancellation),
            stdout => CosignOutput.CheckAttestation(CosignOutput.ParseVerifyAttestation(stdout), type, digest));

    private async Task<CosignVerdict> Check(Func<Task<ToolResult>> run, Func<string, CosignVerdict> judge)
    {
        ToolResult result;
        try
        {
            result = await run();
        }
        catch (ToolFailedException e)
        {
            return new CosignVerdict(false, e.Message);
        }
        if (result.ExitCode != 0)
            return new CosignVerdict(false, runner.Masker.Mask($"{CosignCommands.VerifyExitCodes.Describe(result.ExitCode)}: {ErrorLine(result.StandardError)}"));
        try
        {
            return judge(result.StandardOutput);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new CosignVerdict(false, runner.Unreadable(result, "verification output", e.Message));
        }
    }

    /// <summary>cosign's own reason: its first "Error: …" line, else its last stderr line.</summary>
    internal static string ErrorLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = lines.FirstOrDefault(l => l.StartsWith("Error: ", StringComparison.Ordinal));
        return error is not null ? error["Error: ".Length..] : lines.LastOrDefault() ?? "cosign printed nothing on stderr";
    }

    private async Task<SigningStepOutcome> Step(ImageRecord image, string reference, string done, Func<Task<ToolResult>> run)
    {
        try
        {
            Log.Status(image.Component, $"cosign: {reference}");
            await run();
            Log.Status(image.Component, done);
            return new SigningStepOutcome(image.Component, reference, null);
        }
        catch (Exception e) when (e is ToolFailedException or ArgumentException)
        {
            Log.Status(image.Component, "cosign failed");
            return new SigningStepOutcome(image.Component, reference, $"{image.Component} ({reference}): {runner.Masker.Mask(e.Message)}");
        }
    }

    private static SigningStepOutcome NotPushed(ImageRecord image, string what)
        => new(image.Component, null, $"{image.Component}: cannot be {what}: images.json has no digest for it (cosign works by digest only). Run BuildImages with --push first.");

    private static async Task<IReadOnlyList<T>> ForEach<T>(IReadOnlyList<ImageRecord> images, int parallelism, Func<ImageRecord, Task<T>> work)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, parallelism));
        return await Task.WhenAll(images.Select(async image =>
        {
            await slots.WaitAsync();
            try
            {
                return await work(image);
            }
            finally
            {
                slots.Release();
            }
        }));
    }
}
