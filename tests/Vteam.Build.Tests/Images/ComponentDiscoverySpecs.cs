using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class ComponentDiscoverySpecs
{
    [Fact]
    public void Every_folder_with_a_Dockerfile_is_a_component_and_component_yaml_overrides_context_and_image()
    {
        using var tree = new TempTree(
            ("components/backend/Dockerfile", "FROM base\n"),
            ("components/frontend/Dockerfile", "FROM base\n"),
            ("components/manifests/deploy.yaml", "kind: List\n"),
            ("components/runners/claude-code-runner/Dockerfile", "FROM base\n"),
            ("components/runners/claude-code-runner/component.yaml",
                "name: claude-runner\nimage: quay.io/ambient_code/vteam_claude_runner\ncontext: components/runners\ndockerfile: claude-code-runner/Dockerfile\n" +
                "buildArgs:\n  PY: '3.12'\ntarget: runtime\nplatforms: [linux/amd64]\n"));

        var components = ComponentDiscovery.Discover(tree["components"]);

        Assert.Equal(["backend", "claude-runner", "frontend"], components.Select(c => c.Name));
        var runner = components[1];
        Assert.Equal(tree["components/runners"], runner.Context);
        Assert.Equal(tree["components/runners/claude-code-runner/Dockerfile"], runner.Dockerfile);
        Assert.Equal("quay.io/ambient_code/vteam_claude_runner", runner.ImageName);
        Assert.Equal("3.12", runner.BuildArgs["PY"]);
        Assert.Equal("runtime", runner.Target);
        Assert.Equal(["linux/amd64"], runner.Platforms);
        Assert.Equal(tree["components/backend"], components[0].Context);
        Assert.Equal("backend", components[0].ImageName);
    }

    [Fact]
    public void Components_limits_a_run_and_an_unknown_name_is_refused_with_the_known_ones()
    {
        using var tree = new TempTree(("components/a/Dockerfile", "FROM x\n"), ("components/b/Dockerfile", "FROM x\n"));

        var only = ComponentDiscovery.Discover(tree["components"], ["b"]);
        var error = Assert.Throws<ArgumentException>(() => ComponentDiscovery.Discover(tree["components"], ["c"]));

        Assert.Equal(["b"], only.Select(c => c.Name));
        Assert.Contains("Known: a, b", error.Message);
    }

    [Fact]
    public void An_unknown_key_in_component_yaml_is_refused_with_file_and_line()
    {
        using var tree = new TempTree(("components/a/Dockerfile", "FROM x\n"), ("components/a/component.yaml", "image: a\ncontxt: ..\n"));

        var error = Assert.Throws<FormatException>(() => ComponentDiscovery.Discover(tree["components"]));

        Assert.StartsWith($"{tree["components/a/component.yaml"]}:2:", error.Message);
    }

    [Fact]
    public void A_missing_Dockerfile_named_in_component_yaml_is_reported_with_what_it_is_relative_to()
    {
        using var tree = new TempTree(("components/a/component.yaml", "context: components\ndockerfile: a/build/Dockerfile\n"));

        var error = Assert.Throws<FileNotFoundException>(() => ComponentDiscovery.Discover(tree["components"]));

        Assert.Contains("'a/build/Dockerfile'", error.Message);
        Assert.Contains($"relative to the context {tree["components"]}", error.Message);
    }

    [Fact]
    public void The_repository_s_own_components_are_found_as_vTeam_names_them()
    {
        var root = Vteam.Build.Tests.Support.RepositoryPaths.Root;

        var components = ComponentDiscovery.Discover(Path.Combine(root, "components"));
        var names = components.Select(c => ImageNaming.Repository("quay.io/ambient_code", "vteam_", c.ImageName));

        Assert.Equal(["quay.io/ambient_code/vteam_backend", "quay.io/ambient_code/vteam_claude_runner", "quay.io/ambient_code/vteam_frontend", "quay.io/ambient_code/vteam_operator"], names.Order());
        var runner = components.Single(c => c.Name == "claude-runner");
        Assert.Equal(Path.Combine(root, "components", "runners"), runner.Context);
        Assert.Equal("claude-code-runner/Dockerfile", new BuildContext(runner.Context, runner.Dockerfile).DockerfileName);
    }
}
