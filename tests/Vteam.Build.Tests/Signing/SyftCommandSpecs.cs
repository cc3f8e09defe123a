using Vteam.Build.Tests.Tools;
using Vteam.Build.Tools.Syft;
using Xunit;

namespace Vteam.Build.Tests.Signing;

/// <summary>The exact argv and environment of syft (tool-contracts.md §2, §6).</summary>
public class SyftCommandSpecs
{
    private const string Image = CosignCommandSpecs.Image;

    [Fact]
    public void A_pushed_image_is_cataloged_from_the_registry_by_digest_into_SPDX_2_3_JSON()
    {
        var invocation = SyftCommands.Scan("/bin/syft", new SyftSettings(), new SyftSource.RegistryImage(Image), "/r/artifacts/sbom/.backend.tmp");

        Assert.Equal(["scan", "registry:" + Image, "--output", "spdx-json@2.3=/r/artifacts/sbom/.backend.tmp", "--quiet"],
            TrivyCommandSpecs.SplitArguments(invocation.Command.Arguments));
        Assert.Equal("false", invocation.Command.EnvironmentVariables["SYFT_CHECK_FOR_APP_UPDATE"]);
        Assert.Null(invocation.SecretEnvironment);
    }

    [Fact]
    public void An_exported_tarball_is_cataloged_as_a_docker_archive()
    {
        var argv = TrivyCommandSpecs.SplitArguments(SyftCommands.Scan("syft", new SyftSettings(), new SyftSource.DockerArchive("/r/artifacts/images/backend.tar"), "o.json").Command.Arguments);

        Assert.Equal("docker-archive:/r/artifacts/images/backend.tar", argv[1]);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/vteam/backend:1.4.0")]
    [InlineData("127.0.0.1:5000/vteam/backend")]
    public void A_tag_is_refused(string reference)
    {
        var error = Assert.Throws<ArgumentException>(() => SyftCommands.Scan("syft", new SyftSettings(), new SyftSource.RegistryImage(reference), "o.json"));
        Assert.Contains("by digest", error.Message);
    }

    [Fact]
    public void Registry_credentials_go_by_environment_never_on_the_command_line()
    {
        var invocation = SyftCommands.Scan("syft", new SyftSettings { RegistryUsername = "robot", RegistryPassword = "s3cr3t-pa55", RegistryAuthority = "quay.io" },
            new SyftSource.RegistryImage(Image), "o.json");

        Assert.DoesNotContain("s3cr3t-pa55", invocation.Command.Arguments);
        Assert.Equal("s3cr3t-pa55", invocation.SecretEnvironment!["SYFT_REGISTRY_AUTH_PASSWORD"]);
        Assert.Equal("quay.io", invocation.SecretEnvironment["SYFT_REGISTRY_AUTH_AUTHORITY"]);
    }
}
