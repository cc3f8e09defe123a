using Vteam.Build.Containers;
using Vteam.Build.Containers.Build;
using Vteam.Build.Policy.Manifests;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

/// <summary>The components the manifests deploy: found by the build, named as the plan names the images, built non-root.</summary>
public class ShippedComponentsSpecs
{
    private static readonly string ComponentsDirectory = Path.Combine(RepositoryPaths.Root, "components");

    private static readonly string[] PlanImages =
    [
        "quay.io/ambient_code/vteam_backend", "quay.io/ambient_code/vteam_claude_runner",
        "quay.io/ambient_code/vteam_frontend", "quay.io/ambient_code/vteam_operator",
    ];

    [Fact]
    public void The_build_finds_the_four_components_under_the_plan_s_image_names()
    {
        var components = ComponentDiscovery.Discover(ComponentsDirectory);

        Assert.Equal(["backend", "claude-runner", "frontend", "operator"], components.Select(c => c.Name));
        Assert.Equal(PlanImages, components.Select(c => ImageNaming.Repository("quay.io/ambient_code", "vteam_", c.ImageName)));
        var runner = components.Single(c => c.Name == "claude-runner");
        Assert.Equal(Path.Combine(ComponentsDirectory, "runners"), runner.Context);
        Assert.Equal(Path.Combine(ComponentsDirectory, "runners", "claude-code-runner", "Dockerfile"), runner.Dockerfile);
    }

    [Fact]
    public void Every_Dockerfile_is_multi_stage_and_its_final_stage_runs_as_user_1001()
    {
        foreach (var component in ComponentDiscovery.Discover(ComponentsDirectory))
        {
            var dockerfile = Dockerfile.Parse(component.Dockerfile, File.ReadAllText(component.Dockerfile));
            var finalStage = dockerfile.Stages[^1];
            var users = dockerfile.Instructions.Where(i => i.Keyword.Equals("USER", StringComparison.OrdinalIgnoreCase) && i.Line > finalStage.From.Line).ToArray();

            Assert.True(dockerfile.Stages.Count >= 2, $"{component.Dockerfile} has one stage; build in one stage and copy the result into the next.");
            Assert.True(users.Length > 0, $"{component.Dockerfile}: the final stage sets no USER.");
            Assert.Equal("1001", users[^1].Arguments[0].Text);
        }
    }

    [Fact]
    public void The_manifests_deploy_only_images_the_build_makes()
    {
        var set = ManifestLoader.Load(new Vteam.Build.Engine.AbsolutePath(Path.Combine(ComponentsDirectory, "manifests")), new Vteam.Build.Engine.AbsolutePath(RepositoryPaths.Root));

        var repositories = set.Workloads.SelectMany(w => w.Containers).Select(c => c.Node.GetString("image")!)
            .Select(i => i.Split('@')[0]).Select(i => i[..(i.LastIndexOf(':') is var colon and > 0 && colon > i.LastIndexOf('/') ? colon : i.Length)])
            .Distinct().Order().ToArray();

        Assert.Equal(PlanImages, repositories);
    }
}
