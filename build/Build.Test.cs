using System.Xml.Linq;
using CliWrap;
using Vteam.Build.Engine;

namespace Vteam.Build;

internal partial class Build
{
    [Parameter("Only the tests whose names match this dotnet test filter, e.g. FullyQualifiedName~Engine.")]
    readonly string? TestFilter;

    AbsolutePath TestProject => RootDirectory / "tests" / "Vteam.Build.Tests" / "Vteam.Build.Tests.csproj";

    Target Test => _ => _
        .Description("Runs the test suite (unit tests, and integration tests on the Docker engine and a local registry).")
        .Executes(async cancellation =>
        {
            var results = ArtifactsDirectory / "test-results";
            if (results.DirectoryExists()) Directory.Delete(results, recursive: true);
            var exit = await Cli.Wrap(DotNetExecutable())
                .WithArguments(a =>
                {
                    a.Add("test").Add(TestProject.Value).Add("--nologo")
                     .Add("--logger").Add("trx;LogFileName=tests.trx")
                     .Add("--results-directory").Add(results.Value);
                    if (!string.IsNullOrEmpty(TestFilter)) a.Add("--filter").Add(TestFilter);
                })
                .WithWorkingDirectory(RootDirectory)
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Log.Information(line)))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Log.Warning(line)))
                .ExecuteAsync(cancellation);

            var trx = Directory.Exists(results) ? Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories) : [];
            var outcomes = trx.SelectMany(f => XDocument.Load(f).Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
                .Select(e => (string?)e.Attribute("outcome")).ToArray();
            var passed = outcomes.Count(o => o == "Passed");
            var failed = outcomes.Count(o => o is "Failed" or "Error" or "Timeout" or "Aborted");
            var skipped = outcomes.Count(o => o is "NotExecuted" or "Inconclusive");
            Log.ClosingLine($"Tests: {passed} passed, {failed} failed, {skipped} skipped");
            if (failed > 0 || exit.ExitCode != 0)
                throw new InvalidOperationException(trx.Length == 0
                    ? $"dotnet test exited with {exit.ExitCode} before any test ran: see the build errors above."
                    : $"{failed} test{(failed == 1 ? "" : "s")} failed (dotnet test exited with {exit.ExitCode}); results in {results.RelativeTo(RootDirectory)}.");
        });

    /// <summary>The dotnet host running this build, so tests use the same SDK.</summary>
    static string DotNetExecutable()
        => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
