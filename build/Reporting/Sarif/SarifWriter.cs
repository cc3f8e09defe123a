using System.Text.Json;
using System.Text.Json.Serialization;
using Vteam.Build.Engine;

namespace Vteam.Build.Reporting.Sarif;

/// <summary>Serialises a <see cref="SarifLog"/> as SARIF 2.1.0 JSON (camelCase, no null members).</summary>
public static class SarifWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(SarifLog log) => JsonSerializer.Serialize(log, Options) + "\n";

    /// <summary>Writes the log atomically, so a reader never sees half of it.</summary>
    public static void Write(string path, SarifLog log) => AtomicFile.WriteAllText(path, Serialize(log));

    /// <summary>A URI for a repository-relative path: forward slashes, each segment escaped.</summary>
    public static string RelativeUri(string relativePath)
        => string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
}
