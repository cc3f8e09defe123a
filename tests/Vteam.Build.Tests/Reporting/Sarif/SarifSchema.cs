using NJsonSchema;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Reporting.Sarif;

/// <summary>The official SARIF 2.1.0 schema (draft-04) from shared/schemas, loaded once.</summary>
public static class SarifSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFileAsync(RepositoryPaths.Schema("sarif-2.1.0.schema.json")).GetAwaiter().GetResult());

    public static void AssertValid(string json)
    {
        var errors = Schema.Value.Validate(json);
        Assert.True(errors.Count == 0, "The SARIF log breaks the schema:\n" + string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }
}
