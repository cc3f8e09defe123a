using NJsonSchema;
using Vteam.Build.Tests.Support;

namespace Vteam.Build.Tests.Reporting;

/// <summary>Validation against the official schemas in shared/schemas (SARIF 2.1.0 is draft-04, SPDX 2.3 draft-07).</summary>
public static class SchemaValidation
{
    private static readonly Lazy<JsonSchema> Sarif = new(() => JsonSchema.FromFileAsync(RepositoryPaths.Schema("sarif-2.1.0.schema.json")).GetAwaiter().GetResult());
    private static readonly Lazy<JsonSchema> Spdx = new(() => JsonSchema.FromFileAsync(RepositoryPaths.Schema("spdx-2.3.schema.json")).GetAwaiter().GetResult());

    public static IReadOnlyList<string> SarifErrors(string json) => Sarif.Value.Validate(json).Select(e => e.ToString()).ToArray();
    public static IReadOnlyList<string> SpdxErrors(string json) => Spdx.Value.Validate(json).Select(e => e.ToString()).ToArray();
}
