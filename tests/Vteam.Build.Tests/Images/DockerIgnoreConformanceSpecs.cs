using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Containers.Build;
using Vteam.Build.Tests.Rig;
using Xunit;

namespace Vteam.Build.Tests.Images;

/// <summary>Our context against the Docker CLI's own (its classic builder walks and filters the context itself).</summary>
[Collection(RigCollection.Name)]
public sealed class DockerIgnoreConformanceSpecs(RegistryRig rig)
{
    [RigFact]
    public async Task The_files_we_send_are_the_files_the_docker_CLI_sends()
    {
        var files = new[]
        {
            "a.log", "important.log", "sub/b.log", "node_modules/x.js", "pkg/node_modules/y.js", "docs/a.md", "docs/keep/b.md",
            "build/output.txt", "build/other.txt", "tmp1/file", "tmpx.txt", "s/t.secret", "deep/er/u.secret", "a/b/c", "a/b/d",
            "xz.txt", "yz.txt", "zz.txt", "dir with space/drop1", "dir with space/keep", "main.go", "x/.hidden", ".env", ".env.example",
        };
        using var tree = new TempTree(files.Select(f => (f, f)).ToArray());
        tree.Write(".dockerignore", """
            # comment
            *.log
            !important.log
            **/node_modules
            docs/**
            !docs/keep/**
            build
            !build/output.txt
            /tmp?
            **/*.secret
            a/*/c
            [xy]z.txt
            dir with space/drop*
            .env*
            !.env.example
            """);
        tree.Write("Dockerfile", $"FROM {rig.BaseImagePinned}\nCOPY . /ctx\nRUN cd /ctx && find . -type f | sort\n");
        var docker = RigEnvironment.FindOnPath("docker") ?? throw new InvalidOperationException("The docker CLI is missing: apt-get install -y docker.io (or docker-ce-cli).");

        var cli = await Cli.Wrap(docker)
            .WithArguments(["build", "--no-cache", "--network", "none", "--rm", "--force-rm", tree.Root])
            .WithEnvironmentVariables(e => e.Set("DOCKER_BUILDKIT", "0").Set("DOCKER_HOST", RigEnvironment.DockerHost))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var ours = new BuildContext(tree.Root, tree["Dockerfile"]).Entries()
            .Where(e => e.Type != System.Formats.Tar.TarEntryType.Directory).Select(e => "./" + e.Name);

        Assert.True(cli.ExitCode == 0, cli.StandardError);
        var sent = cli.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("./", StringComparison.Ordinal)).ToList();
        Assert.Equal(sent.Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
        Assert.Contains("./docs/keep/b.md", sent);
        Assert.DoesNotContain("./a.log", sent);
        var id = cli.StandardOutput.Split('\n').Last(l => l.StartsWith("Successfully built ", StringComparison.Ordinal))["Successfully built ".Length..].Trim();
        await rig.Docker.Images.DeleteImageAsync(id, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
    }
}
