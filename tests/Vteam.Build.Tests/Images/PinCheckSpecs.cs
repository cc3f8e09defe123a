using Vteam.Build.Containers.Build;
using Vteam.Build.Engine;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class PinCheckSpecs
{
    private static ImageBuildSettings Settings(bool allow = false, bool release = false) => new()
    {
        Source = new SourceRevision("1.0.0", null, DateTimeOffset.UnixEpoch, null),
        AllowUnpinned = allow,
        IsRelease = release,
    };

    private static (TempTree, ComponentSpec) Fixture()
    {
        var tree = new TempTree(("components/api/Dockerfile", "ARG GO=1.23\nFROM golang:${GO} AS build\nFROM registry.local/base@sha256:0123\nCOPY --from=build /x /x\n"));
        return (tree, ComponentDiscovery.Read(tree["components/api"], tree.Root));
    }

    [Fact]
    public void An_unpinned_base_image_fails_the_build_with_its_file_and_line()
    {
        var (tree, component) = Fixture();
        using var _ = tree;
        var output = new CapturedOutput();

        InvalidOperationException error;
        using (output.Capture()) error = Assert.Throws<InvalidOperationException>(() => ImageBuildRun.CheckPins([component], Settings(), tree.Root));

        var diagnostic = Assert.Single(output.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, "components/api/Dockerfile", 2, ImageBuildRun.UnpinnedRule), (diagnostic.Severity, diagnostic.File, diagnostic.Line, diagnostic.RuleId));
        Assert.Contains("golang:1.23", diagnostic.Message);
        Assert.Contains("--allow-unpinned", error.Message);
    }

    [Fact]
    public void Allow_unpinned_turns_the_error_into_a_warning_and_returns_the_bases()
    {
        var (tree, component) = Fixture();
        using var _ = tree;
        var output = new CapturedOutput();

        IReadOnlyList<ComponentBases> bases;
        using (output.Capture()) bases = ImageBuildRun.CheckPins([component], Settings(allow: true), tree.Root);

        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(output.Diagnostics).Severity);
        Assert.Equal(["golang:1.23", "registry.local/base@sha256:0123"], bases.Single().BaseImages.Select(b => b.Reference));
    }

    [Fact]
    public void A_release_build_never_allows_unpinned_base_images()
    {
        var (tree, component) = Fixture();
        using var _ = tree;

        var error = Assert.Throws<InvalidOperationException>(() => ImageBuildRun.CheckPins([component], Settings(allow: true, release: true), tree.Root));

        Assert.Contains("A release build never allows --allow-unpinned", error.Message);
    }
}
