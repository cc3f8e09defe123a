using Xunit;

namespace Vteam.Build.Tests.Reporting;

/// <summary>The validators can fail: otherwise every "valid against the schema" assertion would prove nothing.</summary>
public class SchemaValidationSpecs
{
    [Fact]
    public void An_invalid_SARIF_log_is_rejected()
    {
        const string invalid = """{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"level":"fatal","message":{"text":"m"}}]}]}""";
        Assert.NotEmpty(SchemaValidation.SarifErrors(invalid));
    }

    [Fact]
    public void An_invalid_SPDX_document_is_rejected()
    {
        const string invalid = """{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"x","dataLicense":"CC0-1.0","documentNamespace":"https://x","packages":[{"SPDXID":"SPDXRef-p"}]}""";
        Assert.NotEmpty(SchemaValidation.SpdxErrors(invalid));
    }
}
