using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class ImageNamingSpecs
{
    private static ComponentSpec Component(string name, string? image = null, Dictionary<string, string>? args = null)
        => new(name, "/c/" + name, "/c/" + name, "/c/" + name + "/Dockerfile", image ?? name, args ?? [], null, []);

    [Fact]
    public void The_repository_is_registry_slash_prefix_and_name()
    {
        Assert.Equal("quay.io/ambient_code/vteam_backend", ImageNaming.Repository("quay.io/ambient_code/", "vteam_", "backend"));
        Assert.Equal("127.0.0.1:5000/x", ImageNaming.Repository("127.0.0.1:5000", null, "x"));
        Assert.Equal("vteam_operator", ImageNaming.Repository(null, "vteam_", "operator"));
    }

    [Fact]
    public void A_whole_repository_as_image_is_kept_or_moved_under_the_registry_given()
    {
        Assert.Equal("quay.io/ambient_code/vteam_claude_runner", ImageNaming.Repository(null, "vteam_", "quay.io/ambient_code/vteam_claude_runner"));
        Assert.Equal("127.0.0.1:5000/ci/vteam_claude_runner", ImageNaming.Repository("127.0.0.1:5000/ci", "vteam_", "quay.io/ambient_code/vteam_claude_runner"));
        Assert.Throws<ArgumentException>(() => ImageNaming.Repository(null, null, "bad host!/x"));
    }

    [Theory]
    [InlineData("https://quay.io", "x")]
    [InlineData("quay.io", "Backend")]
    [InlineData("quay.io/Org", "x")]
    public void An_invalid_name_is_refused(string registry, string name)
        => Assert.Throws<ArgumentException>(() => ImageNaming.Repository(registry, null, name));

    [Fact]
    public void Tags_come_from_the_version_and_the_commit_and_labels_and_args_carry_both()
    {
        var source = new SourceRevision("1.4.0+build.7", "0123456789abcdef0123456789abcdef01234567",
            new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.FromHours(1)), "https://github.com/ambient-code/vTeam");

        var identity = ImageNaming.For(Component("backend", args: new() { ["VERSION"] = "mine", ["GO"] = "1.23" }), "quay.io/ambient_code", "vteam_", source);

        Assert.Equal("quay.io/ambient_code/vteam_backend", identity.Repository);
        Assert.Equal(["1.4.0-build.7", "0123456789ab"], identity.Tags);
        Assert.Equal("2026-12-04T19:00:00Z", identity.Labels["org.opencontainers.image.created"]);
        Assert.Equal(source.Commit, identity.Labels["org.opencontainers.image.revision"]);
        Assert.Equal("1.4.0+build.7", identity.Labels["org.opencontainers.image.version"]);
        Assert.Equal("backend", identity.Labels["org.opencontainers.image.title"]);
        Assert.Equal(source.SourceUrl, identity.Labels["org.opencontainers.image.source"]);
        Assert.Equal("1.4.0+build.7", identity.BuildArgs["VERSION"]);
        Assert.Equal(source.Commit, identity.BuildArgs["VCS_REF"]);
        Assert.Equal("2026-12-04T19:00:00Z", identity.BuildArgs["BUILD_DATE"]);
        Assert.Equal("1.23", identity.BuildArgs["GO"]);
    }

    [Fact]
    public void Without_version_or_commit_the_tag_is_latest()
    {
        var identity = ImageNaming.For(Component("a"), null, null, new SourceRevision(null, null, DateTimeOffset.UnixEpoch, null));

        Assert.Equal(["latest"], identity.Tags);
        Assert.False(identity.Labels.ContainsKey("org.opencontainers.image.revision"));
    }
}
