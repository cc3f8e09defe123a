using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using NJsonSchema;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tests.Tools;
using Vteam.Build.Tools.Syft;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>
/// The run-time SPDX check against the official SPDX 2.3 JSON schema (NJsonSchema, tests only): what the fake syft
/// writes passes both; every mutation that breaks the schema is also refused by the build's own validator, with a clear message.
/// </summary>
public class SpdxValidatorSpecs
{
    private const string Image = CosignCommandSpecs.Image;
    private const string Digest = CosignCommandSpecs.Digest;

    internal static async Task<string> FakeSbomAsync(string reference = Image, string? mode = null)
    {
        var directory = Directory.CreateTempSubdirectory("sbom-").FullName;
        var environment = new Dictionary<string, string> { ["FAKE_SYFT_SKIP_REGISTRY"] = "1" };
        if (mode is not null) environment["FAKE_SYFT_MODE"] = mode;
        var syft = FakeToolbox.Script("syft", environment);
        var output = Path.Combine(directory, "x.spdx.json");
        var result = await Cli.Wrap(syft).WithArguments(["scan", "registry:" + reference, "-o", $"spdx-json@2.3={output}", "-q"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardError);
        return await File.ReadAllTextAsync(output);
    }

    private static async Task<ICollection<NJsonSchema.Validation.ValidationError>> SchemaErrorsAsync(string json)
    {
        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Schema("spdx-2.3.schema.json"));
        return schema.Validate(json);
    }

    [Fact]
    public async Task What_syft_writes_is_valid_SPDX_2_3_and_describes_the_requested_digest()
    {
        var json = await FakeSbomAsync();

        Assert.Empty(await SchemaErrorsAsync(json));
        var summary = SpdxValidator.Validate(json, "backend.spdx.json", Digest);
        Assert.Equal(Digest, summary.DescribedDigest);
        Assert.Equal("127.0.0.1:5000/vteam/backend", summary.Name);
        Assert.Equal(2, summary.Packages);
    }

    public static TheoryData<string, string> SchemaBreakingMutations() => new()
    {
        { "spdxVersion", "no spdxVersion" },
        { "SPDXID", "no SPDXID" },
        { "creationInfo", "no creationInfo" },
        { "creationInfo.created", "no creationInfo.created" },
        { "creationInfo.creators", "no creationInfo.creators" },
        { "dataLicense", "no dataLicense" },
        { "name", "no name" },
        { "packages[0].name", "no packages[0].name" },
        { "packages[1].SPDXID", "no packages[1].SPDXID" },
        { "packages[2].downloadLocation", "no packages[2].downloadLocation" },
    };

    [Theory]
    [MemberData(nameof(SchemaBreakingMutations))]
    public async Task A_document_the_official_schema_rejects_is_rejected_at_run_time_too(string removed, string expected)
    {
        var document = JsonNode.Parse(await FakeSbomAsync())!.AsObject();
        Remove(document, removed);
        var json = document.ToJsonString();

        Assert.NotEmpty(await SchemaErrorsAsync(json));
        var error = Assert.Throws<InvalidSbomException>(() => SpdxValidator.Validate(json, "/r/artifacts/sbom/backend.spdx.json", Digest));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("/r/artifacts/sbom/backend.spdx.json: the SBOM ", error.Message);
        Assert.Contains("run GenerateSboms again", error.Message);
    }

    [Theory]
    [InlineData("spdx22", "spdxVersion 'SPDX-2.2'")]
    [InlineData("wrong-digest", "not " + Digest)]
    [InlineData("no-describes", "no 'SPDXRef-DOCUMENT DESCRIBES")]
    [InlineData("garbage", "is not JSON")]
    public async Task An_SBOM_that_is_not_SPDX_2_3_of_this_image_is_rejected_with_the_reason(string mode, string expected)
    {
        var json = await FakeSbomAsync(mode: mode);

        var error = Assert.Throws<InvalidSbomException>(() => SpdxValidator.Validate(json, "backend.spdx.json", Digest));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task The_digest_is_also_read_from_the_root_package_checksum()
    {
        var document = JsonNode.Parse(await FakeSbomAsync())!.AsObject();
        var root = document["packages"]!.AsArray().OfType<JsonObject>().Single(p => p["versionInfo"]?.GetValue<string>() == Digest);
        root["versionInfo"] = "latest";

        Assert.Equal(Digest, SpdxValidator.Validate(document.ToJsonString(), "x", Digest).DescribedDigest);
        root.Remove("checksums");
        Assert.Contains("carries no image digest", Assert.Throws<InvalidSbomException>(() => SpdxValidator.Validate(document.ToJsonString(), "x", Digest)).Message);
    }

    [Fact]
    public void A_relative_namespace_is_rejected()
    {
        var json = File.ReadAllText(RepositoryPaths.Sample("syft", "TestSPDXJSONImageEncoder.spdx.json.golden"));
        // The encoder snapshot has its namespace and date redacted: exactly what a real SBOM must not look like.
        Assert.Contains("documentNamespace 'redacted'", Assert.Throws<InvalidSbomException>(() => SpdxValidator.Validate(json, "golden", null)).Message);
    }

    private static void Remove(JsonObject document, string path)
    {
        JsonNode node = document;
        var parts = path.Split('.');
        foreach (var part in parts[..^1]) node = Step(node, part);
        var last = parts[^1];
        if (last.Contains('[')) throw new ArgumentException(path);
        node.AsObject().Remove(last);

        static JsonNode Step(JsonNode node, string part)
        {
            var bracket = part.IndexOf('[');
            return bracket < 0 ? node[part]! : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1])]!;
        }
    }
}
