using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class BuildProgressSpecs
{
    private static EngineMessage S(string text) => new(Stream: text);

    [Fact]
    public void Steps_cache_hits_and_the_image_id_are_followed_across_split_lines()
    {
        var progress = new BuildProgress();

        foreach (var m in new[]
        {
            S("Step 1/3 : FROM base@sha256:ab"), S("\n"), S(" ---> 1234567890ab\n"),
            S("Step 2/3 : RUN echo hi\n"), S(" ---> Using cache\n"), S(" ---> 2234567890ab\n"),
            S("Step 3/3 : LABEL a=b\n"), S(" ---> Run"), S("ning in 99\n"), S("Removing intermediate container 99\n"), S(" ---> 3234567890ab\n"),
            new EngineMessage(Aux: new Dictionary<string, string> { ["ID"] = "sha256:3234567890abcdef" }),
            S("Successfully built 3234567890ab\n"),
        }) progress.Add(m);

        Assert.Equal(3, progress.Step);
        Assert.Equal(3, progress.TotalSteps);
        Assert.Equal(1, progress.CachedSteps);
        Assert.Equal("sha256:3234567890abcdef", progress.ImageId);
        Assert.Null(progress.Failure);
        Assert.Equal("built 3234567890ab (1/3 steps from cache)", progress.StatusLine);
    }

    [Fact]
    public void A_failing_RUN_is_reported_with_its_step_command_exit_code_and_last_lines()
    {
        var progress = new BuildProgress();
        progress.Add(S("Step 1/2 : FROM base\n ---> 11\nStep 2/2 : RUN echo start && exit 3\n ---> Running in 7\n"));
        for (var i = 0; i < 30; i++) progress.Add(S($"line {i}\n"));
        progress.Add(new EngineMessage(Error: "The command '/bin/sh -c echo start && exit 3' returned a non-zero code: 3"));

        var failure = Assert.IsType<FailedStep>(progress.Failure);
        Assert.Equal(2, failure.Step);
        Assert.Equal("RUN echo start && exit 3", failure.Instruction);
        Assert.Equal(3, failure.ExitCode);
        Assert.Equal(BuildProgress.TailLines, failure.LastLines.Count);
        Assert.Equal("line 29", failure.LastLines[^1]);
        Assert.DoesNotContain(failure.LastLines, l => l.Contains("--->"));
    }

    [Fact]
    public void The_colour_codes_around_a_RUN_step_s_stderr_are_dropped()
    {
        var progress = new BuildProgress();

        progress.Add(S("Step 1/1 : RUN make\n ---> Running in 5\nok\n\u001b[91mmain.c:3: error\n\u001b[0mRemoving intermediate container 5\n"));
        progress.Add(new EngineMessage(Error: "The command '/bin/sh -c make' returned a non-zero code: 2"));

        Assert.Equal(["ok", "main.c:3: error"], progress.Failure!.LastLines);
    }

    [Fact]
    public void A_push_yields_the_manifest_digest_from_its_aux_message()
    {
        var push = new PushProgress();

        push.Add(new EngineMessage(Status: "The push refers to repository [127.0.0.1:5000/a]"));
        push.Add(new EngineMessage(Status: "Preparing", Id: "l1"));
        push.Add(new EngineMessage(Status: "Pushed", Id: "l1"));
        push.Add(new EngineMessage(Status: "Layer already exists", Id: "l2"));
        push.Add(new EngineMessage(Status: "1: digest: sha256:dd size: 528"));
        push.Add(new EngineMessage(Aux: new Dictionary<string, string> { ["Tag"] = "1", ["Digest"] = "sha256:dd", ["Size"] = "528" }));

        Assert.Equal("sha256:dd", push.Digest);
        Assert.Equal("1", push.Tag);
        Assert.Equal(528, push.Size);
        Assert.Equal(2, push.LayersDone);
        Assert.Null(push.Error);
    }
}
