using Vteam.Build.Release;
using Xunit;

namespace Vteam.Build.Tests.Release;

public class GitHubRepositoryNameSpecs
{
    [Theory]
    [InlineData("https://github.com/ambient-code/vTeam.git", "github.com")]
    [InlineData("https://github.com/ambient-code/vTeam", "github.com")]
    [InlineData("git@github.com:ambient-code/vTeam.git", "github.com")]
    [InlineData("ssh://git@github.example.com:2222/ambient-code/vTeam.git", "github.example.com")]
    [InlineData("https://x-access-token:ghs_secret123@github.com/ambient-code/vTeam.git", "github.com")]
    public void I_can_read_owner_name_and_host_from_a_remote(string url, string host)
    {
        var repository = GitHubRepositoryName.FromRemoteUrl(url);

        Assert.Equal(new GitHubRepositoryName("ambient-code", "vTeam", host), repository);
        Assert.DoesNotContain("secret", repository!.ToString());
    }

    [Theory]
    [InlineData("/srv/git/vteam")]
    [InlineData("not a url")]
    public void A_remote_that_is_not_a_hosted_repository_gives_nothing(string url)
    {
        Assert.Null(GitHubRepositoryName.FromRemoteUrl(url));
    }

    [Fact]
    public void A_repository_not_written_as_owner_slash_name_is_refused_with_an_example()
    {
        var error = Assert.Throws<ArgumentException>(() => GitHubRepositoryName.Parse("vteam"));

        Assert.Contains("owner/name", error.Message);
    }

    [Theory]
    [InlineData(null, null, "https://api.github.com/")]
    [InlineData(null, "github.example.com", "https://github.example.com/api/v3/")]
    [InlineData("https://github.com", null, "https://api.github.com/")]
    [InlineData("https://github.example.com", null, "https://github.example.com/api/v3/")]
    [InlineData("https://github.example.com/api/v3", null, "https://github.example.com/api/v3/")]
    [InlineData("http://127.0.0.1:8080/api/v3/", null, "http://127.0.0.1:8080/api/v3/")]
    public void The_API_root_is_api_github_com_or_an_enterprise_servers_api_v3(string? apiUrl, string? remoteHost, string expected)
    {
        Assert.Equal(new Uri(expected), GitHubRepositoryName.ApiBaseUrl(apiUrl, remoteHost));
    }

    [Fact]
    public void An_API_URL_with_credentials_is_refused()
    {
        Assert.Throws<ArgumentException>(() => GitHubRepositoryName.ApiBaseUrl("https://user:pass@github.example.com/api/v3"));
    }

    [Theory]
    [InlineData("https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}", "https://uploads.github.com/repos/o/r/releases/1/assets?name=a%20b.json")]
    [InlineData("https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets{?name,label}", "https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets?name=a%20b.json")]
    public void An_upload_URL_template_is_expanded_with_the_escaped_name(string template, string expected)
    {
        Assert.Equal(expected, UploadUrl.Expand(template, "a b.json").AbsoluteUri);
    }
}
