using System.Text;
using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class RegistryCredentialsSpecs
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Auths_are_read_per_registry_host_whatever_the_key_spelling()
    {
        var json = $$"""
            { "auths": {
                "https://index.docker.io/v1/": { "auth": "{{B64("hubuser:hub:pass")}}" },
                "quay.io": { "auth": "{{B64("robot+ci:tok")}}" },
                "127.0.0.1:5000": { }
              },
              "credsStore": "desktop" }
            """;

        var credentials = RegistryCredentials.Parse(json);

        Assert.Equal(("robot+ci", "tok"), credentials.For("quay.io"));
        Assert.Equal(("hubuser", "hub:pass"), credentials.For("docker.io"));
        Assert.Null(credentials.For("127.0.0.1:5000"));
        Assert.Equal("robot+ci", credentials.AuthConfigFor("quay.io").Username);
        Assert.Null(credentials.AuthConfigFor("ghcr.io").Username);
    }

    [Fact]
    public void A_broken_auth_names_the_registry_and_what_to_do_without_echoing_it()
    {
        var error = Assert.Throws<FormatException>(() => RegistryCredentials.Parse("""{ "auths": { "quay.io": { "auth": "bm9jb2xvbg==" } } }""", "/home/u/.docker/config.json"));

        Assert.Contains("'quay.io'", error.Message);
        Assert.Contains("docker login quay.io", error.Message);
        Assert.DoesNotContain("bm9jb2xvbg", error.Message);
    }

    [Theory]
    [InlineData("quay.io/ambient_code/vteam_backend", "quay.io")]
    [InlineData("127.0.0.1:5000/x", "127.0.0.1:5000")]
    [InlineData("localhost/x", "localhost")]
    [InlineData("library/busybox", "docker.io")]
    [InlineData("busybox", "docker.io")]
    public void The_registry_host_is_the_first_part_when_it_looks_like_a_host(string repository, string host)
        => Assert.Equal(host, RegistryCredentials.RegistryHostOf(repository));

    [Fact]
    public void A_bearer_challenge_is_split_into_its_parameters()
    {
        var parameters = RegistryManifestCheck.ParseChallenge("realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");

        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("registry.example", parameters["service"]);
        Assert.Equal("repository:a/b:pull,push", parameters["scope"]);
    }

    [Theory]
    [InlineData("git@github.com:ambient-code/vTeam.git", "https://github.com/ambient-code/vTeam")]
    [InlineData("https://x-access-token:ghs_secret@github.com/ambient-code/vTeam.git", "https://github.com/ambient-code/vTeam")]
    [InlineData("ssh://git@github.com/ambient-code/vTeam", "https://github.com/ambient-code/vTeam")]
    [InlineData("/srv/repo", null)]
    public void The_source_url_is_browsable_and_never_carries_credentials(string origin, string? expected)
        => Assert.Equal(expected, GitSource.SourceUrl(origin));
}
