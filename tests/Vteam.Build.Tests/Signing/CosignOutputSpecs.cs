using System.Text;
using System.Text.Json.Nodes;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tools.Cosign;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>Reading `cosign verify` and `verify-attestation` output in the v2 (legacy) and v3 (bundle) shapes.</summary>
public class CosignOutputSpecs
{
    [Fact]
    public void The_README_transcript_of_a_key_verification_reads_as_one_legacy_signature()
    {
        var transcript = File.ReadAllText(RepositoryPaths.Sample("cosign", "verify-key-readme-transcript.txt"));
        // Only the JSON line is stdout; the rest is the shell prompt and stderr.
        var entries = CosignOutput.ParseVerify(transcript);

        var entry = Assert.Single(entries);
        Assert.Equal(CosignCommands.LegacySignatureType, entry.Type);
        Assert.Equal("localhost:5000/tcpconnect", entry.DockerReference);
        Assert.True(CosignOutput.CheckSignatures(entries, "sha256:7a91c50d922925f152fec96ed1d84b7bc6b2079c169d68826f6cf307f22d40e6").Verified);
    }

    [Fact]
    public void A_keyless_legacy_signature_carries_the_certificate_subject_and_issuer()
    {
        var stdout = "\n" + File.ReadAllText(RepositoryPaths.Sample("cosign", "verify-keyless-stdout.expected.json"));
        var verdict = CosignOutput.CheckSignatures(CosignOutput.ParseVerify(stdout), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        Assert.True(verdict.Verified);
        Assert.Equal("subject", verdict.Identity);
        Assert.Equal("oidc-issuer", verdict.Issuer);
    }

    [Fact]
    public void A_v3_bundle_signature_is_recognised_by_its_sign_v1_type()
    {
        var stdout = "\n" + V3Entry(CosignCommands.BundleSignatureType, Digest('a'), "{\"org.opencontainers.image.revision\":\"abc\"}") + "\n";

        var entries = CosignOutput.ParseVerify(stdout);

        Assert.True(CosignOutput.CheckSignatures(entries, Digest('a')).Verified);
        Assert.Equal("abc", entries[0].Optional["org.opencontainers.image.revision"]);
    }

    [Fact]
    public void An_image_with_only_an_SBOM_attestation_is_not_signed_even_though_v3_verify_succeeds()
    {
        var stdout = "\n" + V3Entry("https://spdx.dev/Document", Digest('a'), "null") + "\n";

        var verdict = CosignOutput.CheckSignatures(CosignOutput.ParseVerify(stdout), Digest('a'));

        Assert.False(verdict.Verified);
        Assert.Contains("none is an image signature", verdict.Detail);
        Assert.Contains("https://spdx.dev/Document", verdict.Detail);
    }

    [Fact]
    public void A_signature_of_another_digest_does_not_sign_this_one()
    {
        var stdout = "[" + $"{{\"critical\":{{\"identity\":{{\"docker-reference\":\"r/x\"}},\"image\":{{\"docker-manifest-digest\":\"{Digest('b')}\"}},\"type\":\"cosign container image signature\"}},\"optional\":null}}" + "]";

        var verdict = CosignOutput.CheckSignatures(CosignOutput.ParseVerify(stdout), Digest('a'));

        Assert.False(verdict.Verified);
        Assert.Contains(Digest('b'), verdict.Detail);
    }

    [Fact]
    public void Output_without_a_JSON_array_is_unreadable()
        => Assert.Throws<FormatException>(() => CosignOutput.ParseVerify("Verification for x --\nThe following checks were performed"));

    [Fact]
    public void Verify_attestation_envelopes_are_decoded_to_their_in_toto_statements()
    {
        var stdout = Envelope("https://spdx.dev/Document", Digest('a')) + "\n" + Envelope("https://slsa.dev/provenance/v1", Digest('a')) + "\n";

        var statements = CosignOutput.ParseVerifyAttestation(stdout);

        Assert.Equal(["https://spdx.dev/Document", "https://slsa.dev/provenance/v1"], statements.Select(s => s.PredicateType));
        Assert.True(CosignOutput.CheckAttestation(statements, "spdxjson", Digest('a')).Verified);
        Assert.True(CosignOutput.CheckAttestation(statements, "slsaprovenance1", Digest('a')).Verified);
        Assert.False(CosignOutput.CheckAttestation(statements, "spdxjson", Digest('b')).Verified);
    }

    [Fact]
    public void The_sample_bundle_payload_is_a_statement_about_its_subject_digest()
    {
        var bundle = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Sample("cosign", "oci-attestation.sigstore.json")))!;
        var envelope = bundle["dsseEnvelope"]!.ToJsonString();

        var statement = Assert.Single(CosignOutput.ParseVerifyAttestation(envelope));

        Assert.Equal("https://cosign.sigstore.dev/attestation/v1", statement.PredicateType);
        Assert.Equal(["sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4"], statement.SubjectSha256);
        Assert.False(CosignOutput.CheckAttestation([statement], "spdxjson", statement.SubjectSha256[0]).Verified);
    }

    internal static string Digest(char c) => "sha256:" + new string(c, 64);

    private static string V3Entry(string type, string digest, string optional)
        => $"[{{\"critical\":{{\"identity\":{{\"docker-reference\":\"127.0.0.1:5000/x@{digest}\"}},\"image\":{{\"docker-manifest-digest\":\"{digest}\"}},\"type\":\"{type}\"}},\"optional\":{optional}}}]";

    private static string Envelope(string predicateType, string digest)
    {
        var statement = $"{{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"{predicateType}\",\"subject\":[{{\"name\":\"r/x\",\"digest\":{{\"sha256\":\"{digest[7..]}\"}}}}],\"predicate\":{{}}}}";
        return $"{{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(statement))}\",\"signatures\":[{{\"keyid\":\"\",\"sig\":\"MEUC\"}}]}}";
    }
}
