using System.Text.Json.Serialization;

namespace Vteam.Build.Reporting.Sarif;

// A small SARIF 2.1.0 object model: what our stages produce (one tool, its rules, its results with a
// level, a message and a file:line), named as in the OASIS specification so the JSON matches it.

public sealed record SarifLog
{
    [JsonPropertyName("$schema")]
    public string Schema { get; init; } = "https://json.schemastore.org/sarif-2.1.0.json";
    public string Version { get; init; } = "2.1.0";
    public required IReadOnlyList<SarifRun> Runs { get; init; }
}

public sealed record SarifRun
{
    public required SarifTool Tool { get; init; }
    public IReadOnlyList<SarifResult> Results { get; init; } = [];
    /// <summary>Where relative artifact URIs start, e.g. %SRCROOT% → the repository root.</summary>
    public IReadOnlyDictionary<string, SarifArtifactLocation>? OriginalUriBaseIds { get; init; }
    public IReadOnlyList<SarifInvocation>? Invocations { get; init; }
}

public sealed record SarifTool
{
    public required SarifToolComponent Driver { get; init; }
}

public sealed record SarifToolComponent
{
    public required string Name { get; init; }
    public string? Version { get; init; }
    public string? SemanticVersion { get; init; }
    public string? InformationUri { get; init; }
    public IReadOnlyList<SarifReportingDescriptor> Rules { get; init; } = [];
}

/// <summary>A rule: stable id, a short name, descriptions and its default level.</summary>
public sealed record SarifReportingDescriptor
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public SarifMessageString? ShortDescription { get; init; }
    public SarifMessageString? FullDescription { get; init; }
    public SarifMessageString? Help { get; init; }
    public string? HelpUri { get; init; }
    public SarifReportingConfiguration? DefaultConfiguration { get; init; }
    public SarifPropertyBag? Properties { get; init; }
}

public sealed record SarifReportingConfiguration
{
    public SarifLevel Level { get; init; } = SarifLevel.Warning;
}

public sealed record SarifMessageString(string Text);

[JsonConverter(typeof(JsonStringEnumConverter<SarifLevel>))]
public enum SarifLevel
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("note")] Note,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("error")] Error,
}

public sealed record SarifResult
{
    public required string RuleId { get; init; }
    /// <summary>Index of the rule in the driver's rules; -1 (absent) when the rule is not listed.</summary>
    public int? RuleIndex { get; init; }
    public SarifLevel Level { get; init; } = SarifLevel.Warning;
    public required SarifMessage Message { get; init; }
    public IReadOnlyList<SarifLocation>? Locations { get; init; }
    /// <summary>Stable identity of a finding across runs (GitHub code scanning uses it to track alerts).</summary>
    public IReadOnlyDictionary<string, string>? PartialFingerprints { get; init; }
    public SarifPropertyBag? Properties { get; init; }
}

public sealed record SarifMessage(string Text);

public sealed record SarifLocation
{
    public SarifPhysicalLocation? PhysicalLocation { get; init; }
}

public sealed record SarifPhysicalLocation
{
    public required SarifArtifactLocation ArtifactLocation { get; init; }
    public SarifRegion? Region { get; init; }
}

public sealed record SarifArtifactLocation
{
    public string? Uri { get; init; }
    public string? UriBaseId { get; init; }
}

/// <summary>1-based line and column, as SARIF counts them.</summary>
public sealed record SarifRegion
{
    public int? StartLine { get; init; }
    public int? StartColumn { get; init; }
    public int? EndLine { get; init; }
}

public sealed record SarifInvocation
{
    public bool ExecutionSuccessful { get; init; }
    public IReadOnlyList<SarifNotification>? ToolExecutionNotifications { get; init; }
}

public sealed record SarifNotification
{
    public required SarifMessage Message { get; init; }
    public SarifLevel Level { get; init; } = SarifLevel.Error;
}

/// <summary>SARIF's open property bag; <c>tags</c> is the one name the specification gives meaning to.</summary>
public sealed class SarifPropertyBag : Dictionary<string, object?>
{
    public SarifPropertyBag() : base(StringComparer.Ordinal) { }

    public static SarifPropertyBag WithTags(params string[] tags) => new() { ["tags"] = tags.Distinct(StringComparer.Ordinal).ToArray() };
}
