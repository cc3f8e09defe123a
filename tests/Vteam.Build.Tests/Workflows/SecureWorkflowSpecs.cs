using System.Text.RegularExpressions;
using Vteam.Build.Tests.Support;
using Vteam.Build.Workflows;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Vteam.Build.Tests.Workflows;

public class SecureWorkflowSpecs
{
    private static YamlMappingNode Workflow()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(SecureWorkflow.Generate()));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Job(string id) => (YamlMappingNode)((YamlMappingNode)Workflow()["jobs"])[id];

    private static Dictionary<string, string> Permissions(string job)
        => ((YamlMappingNode)Job(job)["permissions"]).Children.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString());

    [Fact]
    public void The_committed_workflow_is_the_generated_one()
    {
        var path = Path.Combine(RepositoryPaths.Root, SecureWorkflow.Path);
        Assert.True(File.Exists(path) && File.ReadAllText(path) == SecureWorkflow.Generate(),
            $"{SecureWorkflow.Path} is stale: run ./build.sh GenerateWorkflow and commit it.");
    }

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_SHA_with_its_version_in_a_comment()
    {
        var uses = Regex.Matches(SecureWorkflow.Generate(), @"uses: (\S+)(.*)").Select(m => (Ref: m.Groups[1].Value, Comment: m.Groups[2].Value)).ToArray();

        Assert.NotEmpty(uses);
        Assert.All(uses, u =>
        {
            Assert.Matches(@"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$", u.Ref);
            Assert.Matches(@"^ # v\d+\.\d+\.\d+$", u.Comment);
        });
    }

    [Fact]
    public void It_runs_on_pull_requests_pushes_to_main_and_releases_but_never_on_pull_request_target()
    {
        var on = (YamlMappingNode)Workflow()["on"];

        Assert.Equal(["pull_request", "push", "release"], on.Children.Keys.Select(k => k.ToString()));
        Assert.DoesNotContain("pull_request_target", SecureWorkflow.Generate());
        Assert.Equal("{}", Workflow()["permissions"] is YamlMappingNode { Children.Count: 0 } ? "{}" : "not empty");
    }

    [Fact]
    public void Each_job_asks_only_for_what_it_needs()
    {
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read", ["security-events"] = "write" }, Permissions("check"));
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read", ["security-events"] = "write", ["id-token"] = "write" }, Permissions("secure"));
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "write", ["security-events"] = "write", ["id-token"] = "write" }, Permissions("release"));
    }

    [Fact]
    public void The_step_that_matters_is_build_sh_Secure_with_the_flags_of_each_event()
    {
        string Command(string job) => ((YamlSequenceNode)Job(job)["steps"]).Children.Cast<YamlMappingNode>()
            .Select(s => s.Children.TryGetValue("run", out var run) ? run.ToString() : "").Single(r => r.StartsWith("./build.sh"));

        Assert.Equal("./build.sh Secure --export --continue", Command("check"));
        Assert.Equal("./build.sh Secure --push --continue", Command("secure"));
        Assert.StartsWith("./build.sh Secure --push --publish --version", Command("release"));
    }

    [Fact]
    public void Registry_credentials_reach_docker_login_only_through_the_environment_and_stdin()
    {
        var text = SecureWorkflow.Generate();
        Assert.Contains("--password-stdin", text);
        Assert.DoesNotMatch(@"run:.*\$\{\{\s*secrets\.", text);
    }
}
