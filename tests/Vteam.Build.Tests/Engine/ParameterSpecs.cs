using Vteam.Build.Engine;
using Xunit;

namespace Vteam.Build.Tests.Engine;

public class ParameterSpecs
{
    [Fact]
    public async Task The_command_line_beats_the_environment_which_beats_the_parameters_file_which_beats_the_default()
    {
        const string file = """{ "$schema": "./build.schema.json", "Name": "from-file", "Count": 3, "Mode": "thorough" }""";
        var environment = new Dictionary<string, string> { ["NAME"] = "from-env", ["COUNT"] = "2" };

        var fromCli = (OrderBuild)(await EngineHarness.RunAsync<OrderBuild>(["Lint", "--name", "from-cli"], environment, file)).Build;
        var fromEnv = (OrderBuild)(await EngineHarness.RunAsync<OrderBuild>(["Lint"], environment, file)).Build;
        var fromFile = (OrderBuild)(await EngineHarness.RunAsync<OrderBuild>(["Lint"], null, file)).Build;
        var byDefault = (OrderBuild)(await EngineHarness.RunAsync<OrderBuild>(["Lint"])).Build;

        Assert.Equal(("from-cli", 2, Mode.Thorough), (fromCli.Name, fromCli.Count, fromCli.Mode));
        Assert.Equal(("from-env", 2), (fromEnv.Name, fromEnv.Count));
        Assert.Equal(("from-file", 3), (fromFile.Name, fromFile.Count));
        Assert.Equal(("default-name", 1, Mode.Fast), (byDefault.Name, byDefault.Count, byDefault.Mode));
    }

    [Fact]
    public async Task Help_says_where_each_value_came_from()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["--help", "--name", "x"], new Dictionary<string, string> { ["COUNT"] = "5" }, """{ "Mode": "thorough" }""");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("current: x (command line)", run.Output);
        Assert.Contains("current: 5 (environment)", run.Output);
        Assert.Contains("current: thorough (.nuke/parameters.json)", run.Output);
        Assert.Contains("current: false (default)", run.Output);
        Assert.Contains("  Compile", run.Output);
        Assert.Contains("depends on: Restore", run.Output);
    }

    [Fact]
    public async Task Every_supported_type_converts()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Lint", "--fail", "X", "Y", "--count", "7", "--mode", "THOROUGH", "--output", "out/dir", "--push", "--greetee", "you"]);
        var build = (OrderBuild)run.Build;

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["X", "Y"], build.Fail);
        Assert.Equal(7, build.Count);
        Assert.Equal(Mode.Thorough, build.Mode);
        Assert.Equal(Path.Combine(run.Root, "out", "dir"), build.Output!.Value);
        Assert.True(build.Push);
        Assert.Equal("you", ((IGreet)build).Greetee);
    }

    [Fact]
    public async Task A_list_from_the_environment_is_split_on_commas()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Lint"], new Dictionary<string, string> { ["FAIL"] = "A, B" });
        Assert.Equal(["A", "B"], ((OrderBuild)run.Build).Fail);
    }

    [Fact]
    public async Task A_flag_before_a_target_does_not_swallow_the_target()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["--push", "false", "Lint"]);
        Assert.Equal(["Lint"], ((OrderBuild)run.Build).Journal);
    }

    [Fact]
    public async Task An_unknown_parameter_is_an_error_with_a_suggestion()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Lint", "--cuont", "3"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown parameter '--cuont'. Did you mean '--count'?", run.Output);
        Assert.Empty(((OrderBuild)run.Build).Journal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_names_its_source()
    {
        var cli = await EngineHarness.RunAsync<OrderBuild>(["Lint", "--count", "many"]);
        var env = await EngineHarness.RunAsync<OrderBuild>(["Lint"], new Dictionary<string, string> { ["MODE"] = "slow" });

        Assert.Contains("--count on the command line: 'many' is not a whole number.", cli.Output);
        Assert.Contains("the environment variable MODE: 'slow' is not one of fast, thorough.", env.Output);
    }

    [Fact]
    public async Task The_parameters_file_names_the_line_of_an_unknown_key()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Lint"], null, "{\n  \"Name\": \"a\",\n  \"Registy\": \"b\"\n}\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("parameters.json:3: unknown parameter 'Registy'.", run.Output);
    }

    [Fact]
    public async Task A_broken_parameters_file_is_reported_with_its_line()
    {
        var run = await EngineHarness.RunAsync<OrderBuild>(["Lint"], null, "{\n  \"Name\": \"a\"\n  \"Count\": 2\n}\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"parameters\.json:3: not valid JSON", run.Output);
    }

    [Theory]
    [InlineData("ImagePrefix", "image-prefix", "IMAGE_PREFIX")]
    [InlineData("GitHubToken", "git-hub-token", "GIT_HUB_TOKEN")]
    [InlineData("SbomFormat", "sbom-format", "SBOM_FORMAT")]
    [InlineData("HTTPProxy", "http-proxy", "HTTP_PROXY")]
    [InlineData("Parallelism", "parallelism", "PARALLELISM")]
    public void Names_follow_the_member_name(string member, string cli, string environment)
    {
        Assert.Equal(cli, ParameterDiscovery.KebabCase(member));
        Assert.Equal(environment, ParameterDiscovery.SnakeCase(member));
    }
}
