using Vteam.Build.Engine;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tools.TruffleHog;
using Xunit;

namespace Vteam.Build.Tests.Tools;

public class TruffleHogParserSpecs
{
    private const string Raw = "AKIA" + "QYLPMN5HHHFPZAM2";
    private const string SecretHalf = "1tUm636uS1yOEcfP5pvfqJ/ml36mF7AkyHsEU0IU";

    private static string V397Line(bool verified = true, string? verificationError = null) =>
        """{"SourceMetadata":{"Data":{"Git":{"commit":"0416560b1330d8ac42045813251d85c688717eaf","file":"config/aws.env","email":"dev <dev@example.com>","repository":"file:///repo","timestamp":"2026-12-04 20:00:00 +0000","line":3,"repository_local_path":"/tmp/clone"}}},"SourceID":1,"SourceType":16,"SourceName":"trufflehog - git","DetectorType":2,"DetectorName":"AWS","DetectorDescription":"AWS","DecoderName":"PLAIN","Verified":VERIFIED,ERROR"VerificationFromCache":false,"Raw":"RAW","RawV2":"RAWHALF","Redacted":"RAW","ExtraData":{"account":"1"},"StructuredData":null,"SecretParts":{"key":"RAW","secret":"HALF"},"SomethingNew":[1,2]}"""
            .Replace("VERIFIED", verified ? "true" : "false")
            .Replace("ERROR", verificationError is null ? "" : $"\"VerificationError\":\"{verificationError}\",")
            .Replace("RAW", Raw).Replace("HALF", SecretHalf);

    [Fact]
    public void The_readme_sample_parses_with_numeric_enums_and_missing_newer_fields()
    {
        var masker = new SecretMasker();

        var finding = Assert.Single(TruffleHogParser.Parse(File.ReadAllText(RepositoryPaths.Sample("trufflehog", "git-finding-readme.jsonl")), masker));

        Assert.Equal(("AWS", 2, 16, SecretVerification.Verified), (finding.Detector, finding.DetectorType, finding.SourceType, finding.Verification));
        Assert.Equal(("keys", 4, "fbc14303ffbf8fb1c2c1914e8dda7d0121633aca"), (finding.File, finding.Line, finding.Commit));
        Assert.Equal("PLAIN", finding.Decoder);
    }

    [Fact]
    public void Raw_RawV2_and_secret_parts_are_registered_with_the_masker_and_never_kept()
    {
        var masker = new SecretMasker();

        var finding = Assert.Single(TruffleHogParser.Parse(V397Line(), masker));

        Assert.Contains(Raw, masker.Secrets);
        Assert.Contains(SecretHalf, masker.Secrets);
        Assert.Contains(Raw + SecretHalf, masker.Secrets);
        // AWS "redacts" to the key id, which is Raw itself: it comes out masked.
        Assert.Equal(SecretMasker.Placeholder, finding.Redacted);
        Assert.DoesNotContain(Raw, finding.ToString());
        Assert.DoesNotContain(SecretHalf, finding.ToString());
    }

    [Theory]
    [InlineData(true, null, SecretVerification.Verified)]
    [InlineData(false, "lookup sts.amazonaws.com: no such host", SecretVerification.Unknown)]
    [InlineData(false, null, SecretVerification.Unverified)]
    public void Unknown_means_unverified_with_a_verification_error(bool verified, string? error, SecretVerification expected)
        => Assert.Equal(expected, Assert.Single(TruffleHogParser.Parse(V397Line(verified, error), new SecretMasker())).Verification);

    [Fact]
    public void Blank_lines_are_skipped_and_each_line_is_one_finding()
        => Assert.Equal(2, TruffleHogParser.Parse($"\n{V397Line()}\n\n{V397Line(false)}\n", new SecretMasker()).Count);

    [Fact]
    public void A_line_that_is_not_json_is_an_error_that_does_not_repeat_the_line()
    {
        var error = Assert.Throws<FormatException>(() => TruffleHogParser.Parse($"{V397Line()}\npanic: could not encode {Raw}\n", new SecretMasker()));

        Assert.Contains("line 2 is not JSON", error.Message);
        Assert.DoesNotContain(Raw, error.Message);
    }

    [Fact]
    public void The_fingerprint_says_where_not_what()
    {
        var finding = TruffleHogParser.Parse(V397Line(), new SecretMasker())[0];
        var other = TruffleHogParser.Parse(V397Line().Replace(Raw, "AKIA" + "ZZZZZZZZZZZZZZZZ"), new SecretMasker())[0];

        Assert.Equal(finding.Fingerprint, other.Fingerprint);
        Assert.Equal(32, finding.Fingerprint.Length);
    }
}
