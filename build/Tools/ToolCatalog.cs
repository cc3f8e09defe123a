using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vteam.Build.Tools;

/// <summary>One release file of a tool for one platform, as pinned in build/tools.json.</summary>
public sealed record ToolPackage
{
    public string File { get; init; } = "";
    /// <summary>tar.gz, zip or binary (the file is the executable itself).</summary>
    public string Format { get; init; } = "tar.gz";
    /// <summary>Lower-case hex; empty when not pinned yet (then the release's checksums file is used).</summary>
    public string? Sha256 { get; init; }
    /// <summary>Where the executable sits inside the archive; defaults to the tool's executable name.</summary>
    public string? PathInArchive { get; init; }
}

/// <summary>A pinned external CLI: version, minimum accepted version and where its releases live.</summary>
public sealed record ToolDefinition
{
    [JsonIgnore] public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    public string MinimumVersion { get; init; } = "";
    public string Executable { get; init; } = "";
    public string DownloadUrl { get; init; } = "";
    public string? ChecksumsFile { get; init; }
    public Dictionary<string, ToolPackage> Platforms { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The executable's file name on this OS (trivy.exe on Windows).</summary>
    public string ExecutableFileName => OperatingSystem.IsWindows() ? Executable + ".exe" : Executable;

    public string Expand(string template, string? file = null)
        => template.Replace("{version}", Version, StringComparison.Ordinal).Replace("{file}", file ?? "", StringComparison.Ordinal);

    public ToolPackage? PackageFor(string platform) => Platforms.GetValueOrDefault(platform);
}

/// <summary>build/tools.json: the one checked-in list of pinned tool versions, files and checksums.</summary>
public sealed class ToolCatalog
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private ToolCatalog(string source, IReadOnlyDictionary<string, ToolDefinition> tools)
    {
        Source = source;
        Tools = tools;
    }

    public string Source { get; }
    public IReadOnlyDictionary<string, ToolDefinition> Tools { get; }

    public ToolDefinition Get(string name)
        => Tools.TryGetValue(name, out var tool)
            ? tool
            : throw new InvalidOperationException($"{Source}: no tool named '{name}'. Add an entry under \"tools\" (see the trivy entry for the shape).");

    public static ToolCatalog Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: the pinned tool list is missing. Restore build/tools.json from git.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The repository's build/tools.json when it has one, else the list compiled into the build.</summary>
    public static ToolCatalog LoadOrBuiltIn(string path)
    {
        if (File.Exists(path)) return Load(path);
        using var stream = typeof(ToolCatalog).Assembly.GetManifestResourceStream("tools.json")
            ?? throw new FileNotFoundException($"{path}: the pinned tool list is missing and the build carries none. Restore build/tools.json from git.", path);
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "tools.json (built in)");
    }

    public static ToolCatalog Parse(string json, string source)
    {
        CatalogFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFile>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{source}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message}). Fix the file.", e);
        }
        var tools = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);
        foreach (var (name, tool) in file?.Tools ?? [])
        {
            var problems = new List<string>();
            if (!ToolVersion.TryParse(tool.Version, out _)) problems.Add($"version '{tool.Version}' is not x.y.z");
            if (!ToolVersion.TryParse(tool.MinimumVersion, out _)) problems.Add($"minimumVersion '{tool.MinimumVersion}' is not x.y.z");
            if (string.IsNullOrWhiteSpace(tool.Executable)) problems.Add("executable is empty");
            if (!tool.DownloadUrl.Contains("{file}", StringComparison.Ordinal)) problems.Add("downloadUrl has no {file}");
            foreach (var (platform, package) in tool.Platforms)
            {
                if (package.Format is not ("tar.gz" or "zip" or "binary")) problems.Add($"{platform}: format '{package.Format}' is not tar.gz, zip or binary");
                if (!string.IsNullOrEmpty(package.Sha256) && !IsSha256(package.Sha256)) problems.Add($"{platform}: sha256 is not 64 hex digits");
            }
            if (problems.Count > 0)
                throw new InvalidOperationException($"{source}: tool '{name}': {string.Join("; ", problems)}.");
            tools[name] = tool with { Name = name };
        }
        return new ToolCatalog(source, tools);
    }

    /// <summary>The platform key used in tools.json: linux-x64, linux-arm64, osx-x64, osx-arm64, win-x64, win-arm64.</summary>
    public static string CurrentPlatform()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}-{arch}";
    }

    internal static bool IsSha256(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);

    private sealed class CatalogFile
    {
        public Dictionary<string, ToolDefinition> Tools { get; init; } = new(StringComparer.Ordinal);
    }
}
