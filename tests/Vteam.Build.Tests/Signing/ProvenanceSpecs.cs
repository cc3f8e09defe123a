using System.Text.Json.Nodes;
using Vteam.Build.Components;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Provenance;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>The SLSA v1 provenance predicate, built from images.json alone.</summary>
public class ProvenanceSpecs
{
    private static readonly DateTimeOffset Started = new(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);

    internal static (BuildManifest Manifest, ImageRecord Image) Fixture()
    {
        var image = new ImageRecord
        {
            Component = "backend",
            Dockerfile = "components/backend/Dockerfile",
            Context = "components/backend",
            Repository = "quay.io/ambient_code/vteam_backend",
            Tags = ["1.4.0", "latest"],
            Platforms = ["linux/amd64"],
            Digest = CosignOutputSpecs.Digest('d'),
            BaseImages =
            [
                new BaseImageRecord { Reference = "registry.access.redhat.com/ubi9/go-toolset:1.22", Digest = CosignOutputSpecs.Digest('1'), Line = 1, Pinned = true },
                new BaseImageRecord { Reference = "registry.access.redhat.com/ubi9/ubi-minimal@" + CosignOutputSpecs.Digest('2'), Digest = CosignOutputSpecs.Digest('2'), Line = 9, Pinned = true },
                new BaseImageRecord { Reference = "scratch-not-resolved", Digest = null, Line = 12 },
            ],
            Sbom = new SbomRecord { Path = "/r/artifacts/sbom/backend.spdx.json", Sha256 = new string('5', 64), Packages = 3 },
        };
        var manifest = new BuildManifest { GitCommit = "0123456789abcdef0123456789abcdef01234567", Version = "1.4.0", Registry = "quay.io", Images = [image] };
        return (manifest, image);
    }

    [Fact]
    public void On_GitHub_Actions_the_builder_is_the_workflow_and_the_invocation_is_the_run_attempt()
    {
        var (manifest, image) = Fixture();
        var context = ProvenanceContext.FromGitHubActions("https://github.com", "ambient-code/vTeam",
            "ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main", "4242", "2", "refs/heads/main", Started, Started.AddMinutes(7));

        var predicate = SlsaProvenance.Predicate(manifest, image, context);

        Assert.Equal("https://github.com/ambient-code/vTeam/.github/workflows/secure.yml@refs/heads/main", (string?)predicate["runDetails"]!["builder"]!["id"]);
        Assert.Equal("https://github.com/ambient-code/vTeam/actions/runs/4242/attempts/2", (string?)predicate["runDetails"]!["metadata"]!["invocationId"]);
        Assert.Equal("2026-12-04T20:07:00Z", (string?)predicate["runDetails"]!["metadata"]!["finishedOn"]);
        Assert.Equal(SlsaProvenance.BuildType, (string?)predicate["buildDefinition"]!["buildType"]);
    }

    [Fact]
    public void Resolved_dependencies_are_the_git_commit_and_every_pinned_base_digest()
    {
        var (manifest, image) = Fixture();
        var context = ProvenanceContext.FromGitHubActions("https://github.com", "ambient-code/vTeam", null, null, null, "refs/tags/v1.4.0", Started, Started);

        var dependencies = SlsaProvenance.Predicate(manifest, image, context)["buildDefinition"]!["resolvedDependencies"]!.AsArray();

        Assert.Equal(3, dependencies.Count);
        Assert.Equal("git+https://github.com/ambient-code/vTeam@refs/tags/v1.4.0", (string?)dependencies[0]!["uri"]);
        Assert.Equal(manifest.GitCommit, (string?)dependencies[0]!["digest"]!["gitCommit"]);
        Assert.Equal("oci://registry.access.redhat.com/ubi9/go-toolset:1.22", (string?)dependencies[1]!["uri"]);
        Assert.Equal(new string('1', 64), (string?)dependencies[1]!["digest"]!["sha256"]);
        Assert.Equal("oci://registry.access.redhat.com/ubi9/ubi-minimal", (string?)dependencies[2]!["uri"]);
        Assert.DoesNotContain(dependencies, d => ((string?)d!["name"])?.Contains("scratch-not-resolved") == true);
    }

    [Fact]
    public void External_parameters_are_the_image_build_inputs_and_the_SBOM_is_a_byproduct()
    {
        var (manifest, image) = Fixture();

        var predicate = SlsaProvenance.Predicate(manifest, image, ProvenanceContext.Local(Started, Started));
        var external = predicate["buildDefinition"]!["externalParameters"]!.AsObject();

        Assert.Equal(["component", "dockerfile", "context", "repository", "tags", "platforms", "version"], external.Select(p => p.Key));
        Assert.Equal("components/backend/Dockerfile", (string?)external["dockerfile"]);
        Assert.Equal(new string('5', 64), (string?)predicate["runDetails"]!["byproducts"]![0]!["digest"]!["sha256"]);
        Assert.StartsWith("urn:vteam:build:local:", (string?)predicate["runDetails"]!["builder"]!["id"]);
    }

    [Fact]
    public void A_predicate_that_would_carry_a_secret_is_refused()
    {
        var (manifest, image) = Fixture();
        image.Tags.Add("ghp_leakedTokenValue1234");
        var masker = new SecretMasker();
        masker.Register("ghp_leakedTokenValue1234");

        var predicate = SlsaProvenance.Predicate(manifest, image, ProvenanceContext.Local(Started, Started));
        var error = Assert.Throws<InvalidOperationException>(() => SlsaProvenance.Serialize(predicate, masker, "backend"));

        Assert.Contains("backend", error.Message);
        Assert.DoesNotContain("ghp_leakedTokenValue1234", error.Message);
        Assert.NotNull(JsonNode.Parse(SlsaProvenance.Serialize(predicate, new SecretMasker(), "backend")));
    }

    [Fact]
    public void An_image_without_a_digest_has_no_provenance()
    {
        var (manifest, image) = Fixture();
        image.Digest = null;

        Assert.Throws<InvalidOperationException>(() => SlsaProvenance.Predicate(manifest, image, ProvenanceContext.Local(Started, Started)));
    }
}
