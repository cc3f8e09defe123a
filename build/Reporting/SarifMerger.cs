using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vteam.Build.Reporting;

/// <summary>One SARIF 2.1.0 log holding the runs of every stage's log (Trivy per image, secrets, manifests).</summary>
public static class SarifMerger
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Merge(IEnumerable<(string Path, string Json)> logs)
    {
        var runs = new JsonArray();
        foreach (var (path, json) in logs)
        {
            JsonNode? log;
            try
            {
                log = JsonNode.Parse(json);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{path}:{(e.LineNumber ?? 0) + 1}: not a SARIF log ({e.Message.Split(" LineNumber")[0]}). Run the stage that wrote it again.", e);
            }
            if (log?["version"]?.GetValue<string>() != "2.1.0" || log["runs"] is not JsonArray logRuns)
                throw new InvalidOperationException($"{path}: not a SARIF 2.1.0 log (no version 2.1.0 or no runs). Run the stage that wrote it again.");
            foreach (var run in logRuns.ToArray())
            {
                logRuns.Remove(run);
                runs.Add(run);
            }
        }
        var merged = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = runs,
        };
        return merged.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
