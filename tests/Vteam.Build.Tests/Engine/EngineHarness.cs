using Vteam.Build.Engine;

namespace Vteam.Build.Tests.Engine;

/// <summary>Runs a build class through the real engine with captured output, a chosen environment and a temporary root.</summary>
internal static class EngineHarness
{
    public sealed record Run(int ExitCode, string Output, NukeBuild Build, string Root);

    public static async Task<Run> RunAsync<T>(IEnumerable<string> args, IDictionary<string, string>? environment = null,
        string? parametersJson = null, string[]? defaultTargets = null, CancellationToken cancellation = default) where T : NukeBuild, new()
    {
        var root = Directory.CreateTempSubdirectory("engine-").FullName;
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        if (parametersJson is not null) await File.WriteAllTextAsync(Path.Combine(root, ".nuke", "parameters.json"), parametersJson, cancellation);
        var output = new StringWriter();
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var build = new T();
        var exit = await BuildRunner.RunAsync(build, args.ToArray(), defaultTargets ?? [],
            new RunEnvironment(output, name => variables.GetValueOrDefault(name), new AbsolutePath(root), Ansi: false), cancellation);
        return new Run(exit, output.ToString(), build, root);
    }
}
