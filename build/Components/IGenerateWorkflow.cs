using Vteam.Build.Engine;
using Vteam.Build.Workflows;

namespace Vteam.Build.Components;

/// <summary>Writes the GitHub Actions workflow whose entry point is ./build.sh Secure.</summary>
public interface IGenerateWorkflow : INukeBuild
{
    Target GenerateWorkflow => _ => _
        .Description("Write .github/workflows/secure.yml from the build (SHA-pinned actions, least-privilege jobs).")
        .Executes(() =>
        {
            var path = RootDirectory / SecureWorkflow.Path;
            var content = SecureWorkflow.Generate();
            var changed = !File.Exists(path) || File.ReadAllText(path) != content;
            if (changed) AtomicFile.WriteAllText(path, content);
            Log.Information(changed ? $"Wrote {SecureWorkflow.Path}." : $"{SecureWorkflow.Path} is up to date.");
        });
}
