using System.Formats.Tar;
using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class BuildContextSpecs
{
    private static async Task<List<string>> TarNames(Stream tar)
    {
        var names = new List<string>();
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        return names;
    }

    [Fact]
    public async Task A_secret_listed_in_dockerignore_never_reaches_the_tar()
    {
        using var tree = new TempTree(
            ("Dockerfile", "FROM base\nCOPY . /app\n"),
            (".dockerignore", "secret.txt\n**/*.key\n"),
            ("secret.txt", "hunter2"),
            ("app/main.sh", "echo hi"),
            ("app/tls/server.key", "PRIVATE"));
        var context = new BuildContext(tree.Root, tree["Dockerfile"]);

        var buffer = new MemoryStream();
        await context.WriteTarAsync(buffer);
        buffer.Position = 0;
        var names = await TarNames(buffer);

        Assert.Contains("app/main.sh", names);
        Assert.Contains("Dockerfile", names);
        Assert.Contains(".dockerignore", names);
        Assert.DoesNotContain(names, n => n.Contains("secret") || n.EndsWith(".key"));
    }

    [Fact]
    public void The_Dockerfile_and_dockerignore_are_sent_even_when_excluded()
    {
        using var tree = new TempTree(
            ("build/Dockerfile", "FROM base\n"),
            (".dockerignore", "*\n"),
            ("other.txt", "x"));
        var context = new BuildContext(tree.Root, tree["build/Dockerfile"]);

        var names = context.Entries().Select(e => e.Name).ToList();

        Assert.Equal([".dockerignore", "build/Dockerfile"], names.Order(StringComparer.Ordinal));
        Assert.Equal("build/Dockerfile", context.DockerfileName);
    }

    [Fact]
    public void An_excluded_directory_is_entered_only_for_an_exception_below_it()
    {
        using var tree = new TempTree(
            ("Dockerfile", "FROM base\n"),
            (".dockerignore", "docs\nvendor\n!docs/keep.md\n"),
            ("docs/keep.md", "k"),
            ("docs/drop.md", "d"),
            ("vendor/lib.js", "v"));
        var context = new BuildContext(tree.Root, tree["Dockerfile"]);

        var names = context.Entries().Select(e => e.Name).ToList();

        Assert.Contains("docs/keep.md", names);
        Assert.DoesNotContain("docs/drop.md", names);
        Assert.DoesNotContain("docs", names);
        Assert.DoesNotContain(names, n => n.StartsWith("vendor", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Dockerfile_outside_the_context_travels_under_a_name_of_its_own()
    {
        using var tree = new TempTree(("ctx/a.txt", "a"), ("elsewhere/Dockerfile", "FROM base\n"));
        var context = new BuildContext(tree["ctx"], tree["elsewhere/Dockerfile"]);

        var names = context.Entries().Select(e => e.Name).ToList();

        Assert.StartsWith(".dockerfile.", context.DockerfileName);
        Assert.Equal(["a.txt", ".dockerignore", context.DockerfileName], names);
    }

    [Fact]
    public async Task A_derived_Dockerfile_travels_beside_the_original_and_the_engine_is_told_to_drop_it()
    {
        using var tree = new TempTree(("Dockerfile", "FROM base\n"), (".dockerignore", "*.log"), ("a.log", "x"), ("b.txt", "b"));
        var context = new BuildContext(tree.Root, tree["Dockerfile"], dockerfileContent: "FROM base\nLABEL a=b\n");

        var buffer = new MemoryStream();
        await context.WriteTarAsync(buffer);
        buffer.Position = 0;
        var files = new Dictionary<string, string>();
        await using (var reader = new TarReader(buffer))
            while (await reader.GetNextEntryAsync() is { } entry)
                files[entry.Name] = entry.DataStream is null ? "" : new StreamReader(entry.DataStream).ReadToEnd();

        Assert.Equal(["Dockerfile", "b.txt", ".dockerignore", context.DockerfileName], files.Keys);
        Assert.Equal("FROM base\nLABEL a=b\n", files[context.DockerfileName]);
        Assert.Equal($"*.log\n{context.DockerfileName}\n.dockerignore\n", files[".dockerignore"]);
        Assert.Equal("FROM base\n", files["Dockerfile"]);
    }

    [Fact]
    public async Task The_streamed_context_is_produced_while_it_is_read_with_bounded_memory()
    {
        using var tree = new TempTree(("Dockerfile", "FROM base\n"));
        var big = new byte[8 << 20];
        Random.Shared.NextBytes(big);
        await File.WriteAllBytesAsync(tree["big.bin"], big);
        var context = new BuildContext(tree.Root, tree["Dockerfile"]);

        await using var streamed = context.Stream();
        // Nothing read yet: the writer must be waiting on the pipe, not done with 8 MB buffered.
        await Task.Delay(200);
        Assert.False(streamed.Completion.IsCompleted);

        var names = await TarNames(streamed.Content);
        await streamed.Completion;

        Assert.Equal(["Dockerfile", "big.bin"], names);
    }
}
