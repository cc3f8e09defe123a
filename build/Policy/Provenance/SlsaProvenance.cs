using System.Text.Json;
using System.Text.Json.Nodes;
using Vteam.Build.Components;
using Vteam.Build.Engine;

namespace Vteam.Build.Policy.Provenance;

/// <summary>Who built, from which source, in which run: the non-image half of a provenance statement.</summary>
public sealed record ProvenanceContext(
    string BuilderId,
    string? SourceRepositoryUrl,
    string? SourceRef,
    string? InvocationId,
    DateTimeOffset StartedOn,
    DateTimeOffset FinishedOn)
{
    /// <summary>On GitHub Actions: builder = the workflow file at its ref, invocation = the run attempt (GITHUB_* variables).</summary>
    public static ProvenanceContext FromGitHubActions(string serverUrl, string repository, string? workflowRef, string? runId, string? runAttempt,
        string? gitRef, DateTimeOffset startedOn, DateTimeOffset finishedOn)
    {
        var server = serverUrl.TrimEnd('/');
        var builder = workflowRef is { Length: > 0 } ? $"{server}/{workflowRef}" : $"{server}/{repository}/.github/workflows";
        var invocation = runId is { Length: > 0 } ? $"{server}/{repository}/actions/runs/{runId}/attempts/{(runAttempt is { Length: > 0 } ? runAttempt : "1")}" : null;
        return new ProvenanceContext(builder, $"{server}/{repository}", gitRef, invocation, startedOn, finishedOn);
    }

    /// <summary>A local run: the builder is this build on this machine; nobody outside can check it.</summary>
    public static ProvenanceContext Local(DateTimeOffset startedOn, DateTimeOffset finishedOn)
        => new($"urn:vteam:build:local:{Environment.MachineName.ToLowerInvariant()}", null, null, null, startedOn, finishedOn);
}

/// <summary>
/// The SLSA v1 provenance predicate of one image (https://slsa.dev/provenance/v1), built only from images.json:
/// external parameters are the image's recorded build inputs (never build parameters, so no secret can slip in),
/// resolved dependencies are the git commit and the pinned base image digests.
/// </summary>
public static class SlsaProvenance
{
    public const string PredicateType = "https://slsa.dev/provenance/v1";
    public const string BuildType = "https://github.com/ambient-code/vTeam/build/container-image@v1";

    public static JsonObject Predicate(BuildManifest manifest, ImageRecord image, ProvenanceContext context)
    {
        if (image.Digest is null) throw new InvalidOperationException($"{image.Component}: no digest in images.json, so there is nothing to state provenance for. Push the image first.");
        var external = new JsonObject
        {
            ["component"] = image.Component,
            ["dockerfile"] = image.Dockerfile,
            ["context"] = image.Context,
            ["repository"] = image.Repository,
            ["tags"] = Array(image.Tags),
            ["platforms"] = Array(image.Platforms),
        };
        if (image.TargetStage is { Length: > 0 } stage) external["target"] = stage;
        if (manifest.Version is { Length: > 0 } version) external["version"] = version;
        if (context.SourceRepositoryUrl is { } source) external["source"] = source;
        if (context.SourceRef is { } gitRef) external["ref"] = gitRef;

        var dependencies = new JsonArray();
        if (manifest.GitCommit is { Length: > 0 } commit)
            dependencies.Add(new JsonObject
            {
                ["uri"] = context.SourceRepositoryUrl is { } url ? $"git+{url}{(context.SourceRef is { } r ? "@" + r : "")}" : "git+file:.",
                ["digest"] = new JsonObject { ["gitCommit"] = commit },
            });
        foreach (var baseImage in image.BaseImages.Where(b => b.Digest is { Length: > 0 }))
        {
            var (algorithm, hex) = Split(baseImage.Digest!);
            dependencies.Add(new JsonObject
            {
                ["uri"] = $"oci://{StripDigest(baseImage.Reference)}",
                ["name"] = baseImage.Reference,
                ["digest"] = new JsonObject { [algorithm] = hex },
            });
        }

        var metadata = new JsonObject();
        if (context.InvocationId is { } invocation) metadata["invocationId"] = invocation;
        metadata["startedOn"] = context.StartedOn.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        metadata["finishedOn"] = context.FinishedOn.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var byproducts = new JsonArray();
        if (image.Sbom is { Sha256.Length: > 0 } sbom)
            byproducts.Add(new JsonObject
            {
                ["name"] = Path.GetFileName(sbom.Path),
                ["mediaType"] = "application/spdx+json",
                ["digest"] = new JsonObject { ["sha256"] = sbom.Sha256 },
            });

        var runDetails = new JsonObject
        {
            ["builder"] = new JsonObject { ["id"] = context.BuilderId },
            ["metadata"] = metadata,
        };
        if (byproducts.Count > 0) runDetails["byproducts"] = byproducts;
        return new JsonObject
        {
            ["buildDefinition"] = new JsonObject
            {
                ["buildType"] = BuildType,
                ["externalParameters"] = external,
                ["internalParameters"] = new JsonObject { ["registry"] = manifest.Registry },
                ["resolvedDependencies"] = dependencies,
            },
            ["runDetails"] = runDetails,
        };
    }

    /// <summary>The predicate as the file cosign attests; refused when it holds any secret the run knows.</summary>
    public static string Serialize(JsonObject predicate, SecretMasker masker, string component)
    {
        var json = predicate.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (masker.Mask(json) != json)
            throw new InvalidOperationException($"{component}: the provenance predicate would contain a secret value (it is masked in logs). Check what images.json records for this image; nothing was attested.");
        return json;
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static (string Algorithm, string Hex) Split(string digest)
    {
        var colon = digest.IndexOf(':');
        return colon > 0 ? (digest[..colon], digest[(colon + 1)..]) : ("sha256", digest);
    }

    private static string StripDigest(string reference) => reference.Split('@')[0];
}
