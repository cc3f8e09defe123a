using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Tests.Rig;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Engine;

/// <summary>Needs PowerShell 7 (pwsh); with CI=true a missing pwsh fails the test instead of skipping it.</summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        if (!RigEnvironment.IsCi && BootstrapSpecs.Pwsh is null) Skip = "pwsh is not installed: dotnet tool install --global PowerShell --version 7.6.10";
    }
}

/// <summary>build.sh and build.ps1 on a copy of the build project: compile when cold or changed, run directly when warm.</summary>
public class BootstrapSpecs
{
    public static string? Pwsh => RigEnvironment.FindOnPath("pwsh")
        ?? new[] { Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "pwsh") }.FirstOrDefault(File.Exists);

    private static string CopyOfTheBuild()
    {
        var copy = Directory.CreateTempSubdirectory("bootstrap-").FullName;
        foreach (var file in new[] { "build.sh", "build.ps1", "global.json", "Directory.Build.props", "Directory.Packages.props" })
            File.Copy(Path.Combine(RepositoryPaths.Root, file), Path.Combine(copy, file));
        Directory.CreateDirectory(Path.Combine(copy, ".nuke"));
        File.Copy(Path.Combine(RepositoryPaths.Root, ".nuke", "parameters.json"), Path.Combine(copy, ".nuke", "parameters.json"));
        var source = Path.Combine(RepositoryPaths.Root, "build");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            var target = Path.Combine(copy, "build", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    private static async Task<BufferedCommandResult> Run(string root, string program, params string[] args)
        => await Cli.Wrap(program).WithArguments(args).WithWorkingDirectory(root).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    [Fact]
    public async Task Build_sh_compiles_once_then_runs_the_compiled_build_until_a_source_changes()
    {
        var root = CopyOfTheBuild();

        var cold = await Run(root, Path.Combine(root, "build.sh"), "--help");
        var warm = await Run(root, Path.Combine(root, "build.sh"), "--help");
        File.AppendAllText(Path.Combine(root, "build", "Build.cs"), "\n// changed\n");
        var changed = await Run(root, Path.Combine(root, "build.sh"), "--plan", "Test");

        Assert.True(cold.ExitCode == 0, cold.StandardError);
        Assert.Contains("Compiling the build project", cold.StandardError);
        Assert.Contains("Targets (default: Secure)", cold.StandardOutput);
        Assert.Equal(0, warm.ExitCode);
        Assert.DoesNotContain("Compiling", warm.StandardError);
        Assert.Equal(cold.StandardOutput, warm.StandardOutput);
        Assert.Contains("Compiling the build project", changed.StandardError);
        Assert.True(File.Exists(Path.Combine(root, "artifacts", "plan.html")));
        Assert.True(File.Exists(Path.Combine(root, ".nuke", "build.schema.json")));
    }

    [PwshFact]
    public async Task Build_ps1_runs_the_build_under_PowerShell_7()
    {
        var root = CopyOfTheBuild();

        var cold = await Run(root, Pwsh!, "-NoProfile", "-File", Path.Combine(root, "build.ps1"), "--help");
        var warm = await Run(root, Pwsh!, "-NoProfile", "-File", Path.Combine(root, "build.ps1"), "Nope");

        Assert.True(cold.ExitCode == 0, cold.StandardOutput + cold.StandardError);
        Assert.Contains("Targets (default: Secure)", cold.StandardOutput);
        Assert.Equal(2, warm.ExitCode);
        Assert.DoesNotContain("Compiling", warm.StandardOutput);
        Assert.Contains("Unknown target 'Nope'", warm.StandardOutput);
    }
}
