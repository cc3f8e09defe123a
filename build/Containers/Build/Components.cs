using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Vteam.Build.Containers.Build;

/// <summary>A folder under components/ that builds one image.</summary>
public sealed record ComponentSpec(
    string Name,
    string Directory,
    string Context,
    string Dockerfile,
    string ImageName,
    IReadOnlyDictionary<string, string> BuildArgs,
    string? Target,
    IReadOnlyList<string> Platforms);

/// <summary>
/// Finds the components: every folder under components/ that holds a Dockerfile (nested folders such as
/// components/runners/claude-code-runner included), with the overrides of its optional component.yaml:
/// <c>name</c>; <c>image</c> (a name after the prefix, or a whole repository such as
/// quay.io/ambient_code/vteam_claude_runner); <c>context</c>, relative to the repository root (the folder
/// above components/); <c>dockerfile</c>, relative to the context (as in <c>docker build -f</c> run from it);
/// <c>buildArgs</c>, <c>target</c> and <c>platforms</c>.
/// </summary>
public static class ComponentDiscovery
{
    public const string FileName = "component.yaml";
    private static readonly HashSet<string> Unvisited = new(StringComparer.Ordinal) { ".git", "node_modules", "bin", "obj", "vendor", "target" };

    public static IReadOnlyList<ComponentSpec> Discover(string componentsDirectory, IReadOnlyCollection<string>? only = null)
    {
        if (!Directory.Exists(componentsDirectory))
            throw new DirectoryNotFoundException($"{componentsDirectory} does not exist: BuildImages builds every folder under components/ that holds a Dockerfile. Run it from the repository root.");

        var found = new List<ComponentSpec>();
        var pending = new Stack<string>(Directory.EnumerateDirectories(componentsDirectory).OrderDescending(StringComparer.Ordinal));
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            if (Unvisited.Contains(Path.GetFileName(directory))) continue;
            if (File.Exists(Path.Combine(directory, "Dockerfile")) || File.Exists(Path.Combine(directory, FileName)))
            {
                found.Add(Read(directory, Path.GetDirectoryName(Path.GetFullPath(componentsDirectory).TrimEnd(Path.DirectorySeparatorChar))!));
                continue;
            }
            foreach (var child in Directory.EnumerateDirectories(directory).OrderDescending(StringComparer.Ordinal)) pending.Push(child);
        }

        var duplicate = found.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two components are named '{duplicate.Key}': {string.Join(" and ", duplicate.Select(c => c.Directory))}. Give one of them a 'name:' in its {FileName}.");

        if (only is { Count: > 0 })
        {
            var unknown = only.Where(n => found.All(c => c.Name != n)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"--components names {string.Join(", ", unknown)}, which {(unknown.Count == 1 ? "is" : "are")} not a component. Known: {string.Join(", ", found.Select(c => c.Name).Order(StringComparer.Ordinal))}.");
            found = found.Where(c => only.Contains(c.Name)).ToList();
        }
        return found.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads one component folder and its component.yaml (context relative to <paramref name="repositoryRoot"/>, dockerfile to the context).</summary>
    public static ComponentSpec Read(string directory, string repositoryRoot)
    {
        directory = Path.GetFullPath(directory);
        var file = Path.Combine(directory, FileName);
        var settings = File.Exists(file) ? Parse(File.ReadAllText(file), file) : new ComponentFile();

        var name = settings.Name ?? Path.GetFileName(directory);
        var context = settings.Context is null ? directory : Path.GetFullPath(Path.Combine(repositoryRoot, settings.Context));
        var dockerfile = settings.Dockerfile is null ? Path.Combine(directory, "Dockerfile") : Path.GetFullPath(Path.Combine(context, settings.Dockerfile));
        if (!Directory.Exists(context))
            throw new DirectoryNotFoundException($"{file}: context '{settings.Context}' resolves to {context}, which does not exist. 'context' is relative to the repository root {repositoryRoot}.");
        if (!File.Exists(dockerfile))
            throw new FileNotFoundException(settings.Dockerfile is null
                ? $"{directory}: there is no Dockerfile. Add one or set 'dockerfile:' in {FileName} (relative to the context)."
                : $"{file}: dockerfile '{settings.Dockerfile}' resolves to {dockerfile}, which does not exist. 'dockerfile' is relative to the context {context}.");

        return new ComponentSpec(
            name,
            directory,
            context,
            dockerfile,
            settings.Image ?? name,
            settings.BuildArgs ?? new Dictionary<string, string>(),
            settings.Target,
            settings.Platforms ?? []);
    }

    internal static ComponentFile Parse(string yaml, string file)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build();
        ComponentFile? parsed;
        try
        {
            parsed = deserializer.Deserialize<ComponentFile?>(yaml);
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            throw new FormatException($"{file}:{e.Start.Line}: {reason}. Allowed keys: name, image, context, dockerfile, buildArgs, target, platforms.", e);
        }
        parsed ??= new ComponentFile();
        if (parsed.Name is not null) ImageNaming.RequireValidPathComponent(parsed.Name, $"{file}: name");
        if (parsed.Image is not null) ImageNaming.RequireValidImage(parsed.Image, $"{file}: image");
        return parsed;
    }
}

/// <summary>The keys of component.yaml.</summary>
internal sealed class ComponentFile
{
    public string? Name { get; set; }
    public string? Image { get; set; }
    public string? Context { get; set; }
    public string? Dockerfile { get; set; }
    public Dictionary<string, string>? BuildArgs { get; set; }
    public string? Target { get; set; }
    public List<string>? Platforms { get; set; }
}
