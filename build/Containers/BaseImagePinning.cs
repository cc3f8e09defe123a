using Vteam.Build.Containers.Registry;

namespace Vteam.Build.Containers;

/// <summary>What one pin run looks at and may do.</summary>
public sealed record PinSettings
{
    public required string Root { get; init; }
    /// <summary>false: a check (VerifyPins) that edits nothing.</summary>
    public bool Write { get; init; }
    /// <summary>Re-resolve pinned references that carry a tag (or a version comment) and report or fix drift.</summary>
    public bool Refresh { get; init; }
    public Platform? Platform { get; init; }
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    /// <summary>Images this build produces (by name prefix): never pinned in manifests.</summary>
    public IReadOnlyCollection<string> OwnImagePrefixes { get; init; } = [];
    public string ComponentsFolder { get; init; } = "components";
    public string ManifestsFolder { get; init; } = Path.Combine("components", "manifests");
    public string WorkflowsFolder { get; init; } = Path.Combine(".github", "workflows");
}

/// <summary>The outcome of one file: its plan, whether it was written, or why it could not be read.</summary>
public sealed record FilePins(string File, PinPlan? Plan, bool Written, string? Error = null, int? ErrorLine = null);

public sealed record PinRun(IReadOnlyList<FilePins> Files)
{
    public IEnumerable<PinDecision> Decisions => Files.Where(f => f.Plan is not null).SelectMany(f => f.Plan!.Decisions);
    public int References => Decisions.Count(d => d.Action != PinAction.Skipped);
    public int PinnedNow => Decisions.Count(d => d.Action is PinAction.Pinned or PinAction.Refreshed or PinAction.Unchanged);
    /// <summary>Everything that makes a check fail: unpinned, drifted, unresolvable, unreadable.</summary>
    public int Problems => Decisions.Count(d => d.Action is PinAction.Unpinned or PinAction.Drifted or PinAction.Failed) + Files.Count(f => f.Error is not null);
}

/// <summary>
/// One run of pinning over a repository: Dockerfiles under components/, image fields of the manifests,
/// uses: of the workflows. Every distinct lookup is made once, all at once; every file is written atomically.
/// </summary>
public sealed class BaseImagePinning(ImageResolver images, IActionRefResolver? actions)
{
    private static readonly string[] IgnoredFolders = ["bin", "obj", "node_modules", ".git"];

    public static IEnumerable<string> FindDockerfiles(string folder)
        => Walk(folder).Where(f =>
        {
            var name = Path.GetFileName(f);
            return name == "Dockerfile" || name.StartsWith("Dockerfile.", StringComparison.Ordinal) || name.EndsWith(".Dockerfile", StringComparison.Ordinal)
                   || name == "Containerfile";
        });

    public static IEnumerable<string> FindYaml(string folder)
        => Walk(folder).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal));

    private static IEnumerable<string> Walk(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(folder, "*", options)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(IgnoredFolders.Contains))
            .Order(StringComparer.Ordinal);
    }

    public async Task<PinRun> RunAsync(PinSettings settings, CancellationToken cancellationToken)
    {
        var files = new List<(string Path, string Relative, string Text, Func<string, IReadOnlyList<ImageSite>>? Images, IReadOnlyList<WorkflowUse>? Uses)>();
        var results = new List<FilePins>();
        string Relative(string path) => Path.GetRelativePath(settings.Root, path).Replace('\\', '/');

        var manifests = Path.Combine(settings.Root, settings.ManifestsFolder);
        foreach (var path in FindDockerfiles(Path.Combine(settings.Root, settings.ComponentsFolder)))
            Read(path, text => ImageSiteFinder.Find(Dockerfile.Parse(Relative(path), text), settings.BuildArgs), null);
        foreach (var path in FindYaml(manifests))
            Read(path, text => ManifestImageFinder.Find(Relative(path), text, settings.OwnImagePrefixes), null);
        if (actions is not null)
            foreach (var path in FindYaml(Path.Combine(settings.Root, settings.WorkflowsFolder)))
                Read(path, null, text => WorkflowUseFinder.Find(Relative(path), text));

        void Read(string path, Func<string, IReadOnlyList<ImageSite>>? images, Func<string, IReadOnlyList<WorkflowUse>>? uses)
        {
            try
            {
                var text = PinnedFile.Read(path);
                files.Add((path, Relative(path), text, images is null ? null : _ => images(text), uses?.Invoke(text)));
            }
            catch (DockerfileException e)
            {
                results.Add(new FilePins(Relative(path), null, false, e.Message, e.Line));
            }
            catch (InvalidOperationException e)
            {
                results.Add(new FilePins(Relative(path), null, false, e.Message));
            }
        }

        // Sites first (parsing may fail per file), then every lookup at once, then plans and writes.
        var sites = new Dictionary<string, IReadOnlyList<ImageSite>>();
        foreach (var file in files.Where(f => f.Images is not null).ToList())
        {
            try
            {
                sites[file.Path] = file.Images!(file.Text);
            }
            catch (DockerfileException e)
            {
                results.Add(new FilePins(file.Relative, null, false, e.Message, e.Line));
                files.Remove(file);
            }
            catch (InvalidOperationException e)
            {
                results.Add(new FilePins(file.Relative, null, false, e.Message));
                files.Remove(file);
            }
        }

        var wanted = sites.Values.SelectMany(s => s)
            .Select(s => (Site: s, Reference: PinPlanner.LookupFor(s, settings.Refresh, settings.Write)))
            .Where(x => x.Reference is not null)
            .Select(x => (x.Reference!, PlatformFor(x.Site, settings)))
            .ToList();
        var imageLookups = await images.ResolveAllAsync(wanted, cancellationToken);

        var actionLookups = new Dictionary<string, DigestLookup>(StringComparer.Ordinal);
        var actionRefs = files.Where(f => f.Uses is not null).SelectMany(f => f.Uses!)
            .Where(u => (!u.IsPinned && settings.Write) || (u.IsPinned && settings.Refresh && u.VersionComment is not null))
            .Select(u => (u.Owner, u.Repository, Ref: u.TrackedRef!)).Distinct().ToList();
        var resolvedActions = await Task.WhenAll(actionRefs.Select(async a =>
        {
            try { return DigestLookup.Found(await actions!.ResolveCommitAsync(a.Owner, a.Repository, a.Ref, cancellationToken)); }
            catch (InvalidOperationException e) { return DigestLookup.Failed(e.Message); }
        }));
        foreach (var (key, lookup) in actionRefs.Zip(resolvedActions)) actionLookups[$"{key.Owner}/{key.Repository}@{key.Ref}"] = lookup;

        foreach (var file in files)
        {
            var plan = file.Uses is not null
                ? ActionPinPlanner.Plan(file.Relative, file.Text, file.Uses,
                    use => actionLookups.GetValueOrDefault($"{use.Owner}/{use.Repository}@{use.TrackedRef}") ?? DigestLookup.Failed($"{use.Value} was not resolved"),
                    settings.Refresh, settings.Write)
                : PinPlanner.Plan(file.Relative, file.Text, sites[file.Path],
                    site => imageLookups.GetValueOrDefault((PinPlanner.LookupFor(site, settings.Refresh, settings.Write)!, PlatformFor(site, settings)))
                            ?? DigestLookup.Failed($"{site.Written} was not resolved"),
                    settings.Refresh, settings.Write);
            var written = settings.Write && PinnedFile.Apply(file.Path, file.Text, plan.Edits);
            results.Add(new FilePins(file.Relative, plan, written));
        }
        return new PinRun(results.OrderBy(r => r.File, StringComparer.Ordinal).ToList());
    }

    // With --platform, a FROM --platform=<literal> still wins: another platform's manifest would break that stage.
    // Without it the index is pinned, which serves every platform.
    private static Platform? PlatformFor(ImageSite site, PinSettings settings)
    {
        if (settings.Platform is null || site.Platform is null) return settings.Platform;
        try { return Platform.Parse(site.Platform); }
        catch (FormatException) { return settings.Platform; }
    }
}
