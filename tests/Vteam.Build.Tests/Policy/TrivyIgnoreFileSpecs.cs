using Vteam.Build.Policy.Vulnerabilities;
using Xunit;

namespace Vteam.Build.Tests.Policy;

public class TrivyIgnoreFileSpecs
{
    [Fact]
    public void I_read_ids_statements_expiry_paths_and_purls_with_their_lines()
    {
        var file = TrivyIgnoreFile.Parse("""
            # reviewed 2026-11
            vulnerabilities:
              - id: CVE-2022-40897
                paths:
                  - "usr/local/lib/python3.9/site-packages/setuptools-58.1.0.dist-info/METADATA"
                statement: Accept the risk
              - id: CVE-2023-2650
              - id: CVE-2023-3446
                purls:
                  - "pkg:deb/debian/libssl1.1"
                expired_at: 2023-09-01
            misconfigurations:
              - id: AVD-DS-0001
            """, "/r/.trivyignore.yaml");

        Assert.Equal(["CVE-2022-40897", "CVE-2023-2650", "CVE-2023-3446"], file.Vulnerabilities.Select(v => v.Id));
        Assert.Equal([3, 7, 8], file.Vulnerabilities.Select(v => v.Line));
        Assert.Equal("Accept the risk", file.Vulnerabilities[0].Statement);
        Assert.Equal(new DateOnly(2023, 9, 1), file.Vulnerabilities[2].ExpiredAt);
        Assert.True(file.Vulnerabilities[2].IsExpired(new DateOnly(2023, 9, 1)));
        Assert.False(file.Vulnerabilities[2].IsExpired(new DateOnly(2023, 8, 31)));
        Assert.Null(file.Vulnerabilities[1].ExpiredAt);
    }

    [Theory]
    [InlineData("vulnerabilities:\n  - id: CVE-1\n    expired_at: next week\n", ":3: expired_at 'next week' is not a date")]
    [InlineData("vulnerabilities:\n  - statement: x\n", ":2: an ignore entry has no id")]
    [InlineData("vulnerabilities:\n  - id: CVE-1\n    expires: 2026-01-01\n", ":3: unknown key 'expires'")]
    [InlineData("vulnerabilities: [\n", "not valid YAML")]
    public void A_mistake_names_the_file_and_line(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TrivyIgnoreFile.Parse(yaml, "/r/.trivyignore.yaml"));
        Assert.Contains("/r/.trivyignore.yaml", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_empty_file_ignores_nothing()
        => Assert.Empty(TrivyIgnoreFile.Parse("", "e.yaml").Vulnerabilities);
}
