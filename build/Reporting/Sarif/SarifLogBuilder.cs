namespace Vteam.Build.Reporting.Sarif;

/// <summary>
/// Builds the usual one-run log: a tool with its rules and results located by repository-relative
/// file and line. Results name their rule by id; the builder fills in ruleIndex.
/// </summary>
public sealed class SarifLogBuilder(string toolName, string? toolVersion = null, string? informationUri = null)
{
    public const string SourceRoot = "%SRCROOT%";
    private readonly List<SarifReportingDescriptor> _rules = [];
    private readonly List<SarifResult> _results = [];

    public SarifLogBuilder AddRule(string id, string name, string shortDescription, string? fullDescription = null,
        SarifLevel defaultLevel = SarifLevel.Warning, SarifPropertyBag? properties = null, string? helpUri = null)
    {
        if (_rules.Any(r => r.Id == id)) throw new ArgumentException($"The SARIF rule {id} is added twice.", nameof(id));
        _rules.Add(new SarifReportingDescriptor
        {
            Id = id,
            Name = name,
            ShortDescription = new SarifMessageString(shortDescription),
            FullDescription = fullDescription is null ? null : new SarifMessageString(fullDescription),
            HelpUri = helpUri,
            DefaultConfiguration = new SarifReportingConfiguration { Level = defaultLevel },
            Properties = properties,
        });
        return this;
    }

    /// <param name="file">A path relative to the repository root, or null for a finding about no file.</param>
    public SarifLogBuilder AddResult(string ruleId, SarifLevel level, string message, string? file = null, int? line = null,
        SarifPropertyBag? properties = null)
    {
        var index = _rules.FindIndex(r => r.Id == ruleId);
        _results.Add(new SarifResult
        {
            RuleId = ruleId,
            RuleIndex = index >= 0 ? index : null,
            Level = level,
            Message = new SarifMessage(message),
            Locations = file is null ? null :
            [
                new SarifLocation
                {
                    PhysicalLocation = new SarifPhysicalLocation
                    {
                        ArtifactLocation = new SarifArtifactLocation { Uri = SarifWriter.RelativeUri(file), UriBaseId = SourceRoot },
                        Region = line is > 0 ? new SarifRegion { StartLine = line } : null,
                    },
                },
            ],
            PartialFingerprints = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["primaryLocationLineHash"] = Fingerprint(ruleId, file, message),
            },
            Properties = properties,
        });
        return this;
    }

    public SarifLog Build(string? sourceRootUri = null) => new()
    {
        Runs =
        [
            new SarifRun
            {
                Tool = new SarifTool
                {
                    Driver = new SarifToolComponent { Name = toolName, Version = toolVersion, InformationUri = informationUri, Rules = _rules.ToArray() },
                },
                Results = _results.ToArray(),
                OriginalUriBaseIds = sourceRootUri is null ? null
                    : new Dictionary<string, SarifArtifactLocation> { [SourceRoot] = new() { Uri = sourceRootUri } },
            },
        ],
    };

    // Line numbers move when a file is edited; rule, file and message identify the finding.
    private static string Fingerprint(string ruleId, string? file, string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($"{ruleId}\n{file}\n{message}");
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16].ToLowerInvariant() + ":1";
    }
}
