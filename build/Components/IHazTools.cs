using System.Runtime.CompilerServices;
using Vteam.Build.Engine;
using Vteam.Build.Tools;

namespace Vteam.Build.Components;

/// <summary>The external CLIs (trivy, trufflehog, syft, cosign): where they come from and how they run.</summary>
public interface IHazTools : INukeBuild
{
    private static readonly ConditionalWeakTable<IHazTools, ToolLocator> Locators = new();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(10) };

    [Parameter("Air-gapped: never download tools (use --<tool>-path, PATH or .nuke/temp/tools), and trivy skips its DB update.")]
    bool? Offline => TryGetValue(() => Offline);

    [Parameter("Base URL of a mirror of tool releases, laid out as <mirror>/<tool>/<version>/<file> (air-gapped runs).")]
    string? ToolMirror => TryGetValue(() => ToolMirror);

    AbsolutePath ToolsFile => RootDirectory / "build" / "tools.json";
    AbsolutePath ToolCacheDirectory => TemporaryDirectory / "tools";

    ToolRunner ToolRunner => new(Masker);

    /// <summary>One locator per build run, so each tool is located (and its version checked) once.</summary>
    ToolLocator Tools => Locators.GetValue(this, build => new ToolLocator(
        ToolCatalog.LoadOrBuiltIn(build.ToolsFile),
        new ToolProvisioner(Http, build.ToolCacheDirectory, build.ToolMirror),
        build.ToolRunner));
}
