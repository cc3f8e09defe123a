using System.Collections.Concurrent;
using CliWrap;
using Vteam.Build.Engine;

namespace Vteam.Build.Tools;

public enum ToolSource { Parameter, Path, Cache, Download }

/// <summary>A tool ready to run: where it is, which version it reported, and how it was found.</summary>
public sealed record LocatedTool(string Name, string Path, ToolVersion Version, ToolSource Source);

/// <summary>
/// Finds a tool: its path parameter (--trivy-path / TRIVY_PATH) → PATH → the pinned version cached under
/// .nuke/temp/tools/&lt;tool&gt;/&lt;version&gt;/ → a download of the pinned release (not with --offline).
/// Every candidate must report at least the minimum version. When nothing fits, one error lists every try.
/// </summary>
public sealed class ToolLocator(
    ToolCatalog catalog,
    ToolProvisioner provisioner,
    ToolRunner runner,
    Func<string?>? pathVariable = null,
    string? platform = null)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LocatedTool>>> _located = new(StringComparer.Ordinal);
    private readonly Func<string?> _pathVariable = pathVariable ?? (() => Environment.GetEnvironmentVariable("PATH"));
    private readonly string _platform = platform ?? ToolCatalog.CurrentPlatform();

    public ToolCatalog Catalog { get; } = catalog;

    /// <summary>Locates a tool once per run; later calls get the same answer.</summary>
    public Task<LocatedTool> LocateAsync(string name, string? explicitPath, bool offline, CancellationToken cancellation)
        => _located.GetOrAdd($"{name}|{explicitPath}|{offline}",
            _ => new Lazy<Task<LocatedTool>>(() => FindAsync(name, explicitPath, offline, cancellation))).Value;

    private async Task<LocatedTool> FindAsync(string name, string? explicitPath, bool offline, CancellationToken cancellation)
    {
        var tool = Catalog.Get(name);
        var minimum = ToolVersion.Parse(tool.MinimumVersion);
        var tried = new List<string>();
        var parameter = $"--{name}-path / {name.ToUpperInvariant()}_PATH";

        if (!string.IsNullOrEmpty(explicitPath))
        {
            // A path the user named is the answer or the error; we do not quietly use another binary.
            var found = await TryCandidateAsync(tool, explicitPath, ToolSource.Parameter, minimum, tried, parameter, cancellation);
            return found ?? throw NotFound(tool, tried, offline);
        }
        tried.Add($"{parameter}: not set");

        var onPath = SearchPath(tool.ExecutableFileName).ToList();
        if (onPath.Count == 0) tried.Add($"PATH: no {tool.ExecutableFileName} in any of its {PathDirectories().Count()} directories");
        foreach (var candidate in onPath)
            if (await TryCandidateAsync(tool, candidate, ToolSource.Path, minimum, tried, "PATH", cancellation) is { } found)
                return found;

        var cached = Path.Combine(provisioner.InstallDirectory(tool), tool.PackageFor(_platform)?.PathInArchive ?? tool.ExecutableFileName);
        if (File.Exists(cached))
        {
            if (await TryCandidateAsync(tool, cached, ToolSource.Cache, minimum, tried, "cache", cancellation) is { } found)
                return found;
        }
        else tried.Add($"cache: {cached} does not exist");

        if (offline)
        {
            tried.Add($"download of {tool.Name} {tool.Version}: not attempted, --offline forbids downloads");
            throw NotFound(tool, tried, offline);
        }
        string installed;
        try
        {
            installed = await provisioner.InstallAsync(tool, _platform, cancellation);
        }
        catch (ToolFailedException e)
        {
            tried.Add($"download of {tool.Name} {tool.Version}: {e.Message}");
            throw NotFound(tool, tried, offline);
        }
        return await TryCandidateAsync(tool, installed, ToolSource.Download, minimum, tried, "download", cancellation)
            ?? throw NotFound(tool, tried, offline);
    }

    private async Task<LocatedTool?> TryCandidateAsync(
        ToolDefinition tool, string path, ToolSource source, ToolVersion minimum, List<string> tried, string label, CancellationToken cancellation)
    {
        if (!File.Exists(path))
        {
            tried.Add($"{label}: {path} does not exist");
            return null;
        }
        ToolResult result;
        try
        {
            result = await runner.RunAsync(VersionInvocation(tool.Name, path), cancellation);
        }
        catch (ToolFailedException e)
        {
            tried.Add($"{label}: {path} did not report its version ({FirstLine(e.Message)})");
            return null;
        }
        if (!ToolVersion.TryFind(result.StandardOutput + "\n" + result.StandardError, out var version))
        {
            tried.Add($"{label}: {path} printed no version");
            return null;
        }
        if (version < minimum)
        {
            tried.Add($"{label}: {path} is version {version}, older than the minimum {minimum}");
            return null;
        }
        Log.Verbose($"{tool.Name} {version} from {source.ToString().ToLowerInvariant()}: {path}");
        return new LocatedTool(tool.Name, path, version, source);
    }

    /// <summary>The command each tool prints its version with (pure, unit-tested).</summary>
    public static ToolInvocation VersionInvocation(string tool, string path)
    {
        string[] arguments = tool switch
        {
            "trivy" => ["--version", "--format", "json"],
            "trufflehog" => ["--version"],
            // cosign has no --version flag; syft's is the version subcommand too.
            "syft" or "cosign" => ["version"],
            _ => ["--version"],
        };
        return new ToolInvocation(tool, Cli.Wrap(path).WithArguments(arguments), TimeSpan.FromSeconds(30), ToolExitCodes.Of([0]));
    }

    private IEnumerable<string> PathDirectories()
        => (_pathVariable() ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    private IEnumerable<string> SearchPath(string fileName)
        => PathDirectories().Select(d => Path.Combine(d, fileName)).Where(File.Exists).Distinct(StringComparer.Ordinal);

    private ToolFailedException NotFound(ToolDefinition tool, List<string> tried, bool offline)
        => new($"{tool.Name} (version {tool.MinimumVersion} or newer; pinned {tool.Version}) was not found. Tried:{Environment.NewLine}" +
               string.Join(Environment.NewLine, tried.Select(t => "  - " + t)) + Environment.NewLine +
               $"Put {tool.Name} ≥ {tool.MinimumVersion} on PATH, pass --{tool.Name}-path" +
               (offline ? ", or run once without --offline to download the pinned release." : ", or check the download (network, --tool-mirror)."));

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
