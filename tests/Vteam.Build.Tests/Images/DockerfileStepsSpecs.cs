using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class DockerfileStepsSpecs
{
    private const string MultiStage = """
        # syntax=docker/dockerfile:1
        ARG BASE=registry.local/base@sha256:aaaa
        ARG TAG
        FROM ${BASE} AS build
        RUN echo one \
            && echo two

        # a comment
        COPY . /src
        FROM build AS test
        RUN make test
        FROM --platform=linux/amd64 registry.local/runtime:${TAG:-1} AS runtime
        COPY --from=build /src /app
        FROM scratch
        """;

    [Fact]
    public void Steps_are_the_instructions_after_the_first_FROM_with_their_lines()
    {
        var steps = DockerfileSteps.Parse(MultiStage).Steps();

        Assert.Equal(["FROM", "RUN", "COPY", "FROM", "RUN", "FROM", "COPY", "FROM"], steps.Select(s => s.Keyword));
        Assert.Equal(5, steps[1].Line);
        Assert.Equal("RUN echo one && echo two", steps[1].ToString());
    }

    [Fact]
    public void A_target_stage_ends_the_steps()
    {
        var dockerfile = DockerfileSteps.Parse(MultiStage);

        Assert.Equal(5, dockerfile.Steps("test").Count);
        Assert.Equal(11, dockerfile.Step(5, "test")!.Line);
        Assert.Null(dockerfile.Step(6, "test"));
        Assert.Throws<InvalidOperationException>(() => dockerfile.Steps("nope"));
    }

    [Fact]
    public void Base_images_expand_ARG_defaults_and_build_args_and_skip_stages_and_scratch()
    {
        var dockerfile = DockerfileSteps.Parse(MultiStage);

        var bases = dockerfile.BaseImages(new Dictionary<string, string> { ["TAG"] = "2" });

        Assert.Equal(["registry.local/base@sha256:aaaa", "registry.local/runtime:2"], bases.Select(b => b.Reference));
        Assert.Equal([4, 12], bases.Select(b => b.Line));
        Assert.True(bases[0].Pinned);
        Assert.Equal("sha256:aaaa", bases[0].Digest);
        Assert.False(bases[1].Pinned);
        Assert.Equal("registry.local/runtime:1", dockerfile.BaseImages()[1].Reference);
    }

    [Fact]
    public void The_escape_directive_changes_the_continuation_character()
    {
        var steps = DockerfileSteps.Parse("# escape=`\nFROM x\nRUN a `\n  b\nRUN c\n").Steps();

        Assert.Equal(["FROM x", "RUN a b", "RUN c"], steps.Select(s => s.ToString()));
        Assert.Equal(5, steps[2].Line);
    }

    [Fact]
    public void Labels_go_in_one_LABEL_step_at_the_end_of_the_stage_that_is_built()
    {
        var dockerfile = DockerfileSteps.Parse(MultiStage);
        var labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "api", ["b"] = "say \"$HOME\"" };

        var last = DockerfileSteps.Parse(dockerfile.WithLabels(labels));
        var test = DockerfileSteps.Parse(dockerfile.WithLabels(labels, "test"));

        Assert.Equal("LABEL \"b\"=\"say \\\"\\$HOME\\\"\" \"org.opencontainers.image.title\"=\"api\"", last.Steps()[^1].ToString());
        Assert.Equal(dockerfile.Steps().Count + 1, last.Steps().Count);
        Assert.Equal(6, test.Steps("test").Count);
        Assert.Equal("LABEL", test.Steps("test")[^1].Keyword);
        Assert.Equal(dockerfile.Steps().Select(s => s.ToString()), test.Steps().Where(s => s.Keyword != "LABEL").Select(s => s.ToString()));
    }
}
