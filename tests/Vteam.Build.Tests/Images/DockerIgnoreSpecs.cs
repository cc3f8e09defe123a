using Vteam.Build.Containers.Build;
using Xunit;

namespace Vteam.Build.Tests.Images;

public class DockerIgnoreSpecs
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("**/*.md", "docs/deep/README.md", true)]
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("docs/**", "docs/a/b.txt", true)]
    [InlineData("docs/**", "docsx/a.txt", false)]
    [InlineData("**/secret.txt", "secret.txt", true)]
    [InlineData("**/secret.txt", "a/b/secret.txt", true)]
    [InlineData("**/secret.txt", "a/notsecret.txt", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("temp?", "tempa", true)]
    [InlineData("temp?", "tempa/x", true)]
    [InlineData("temp?", "temp", false)]
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "temporary.txt", false)]
    [InlineData("node_modules", "node_modules/x/y.js", true)]
    [InlineData("/node_modules", "node_modules", true)]
    [InlineData("./build/", "build/out.o", true)]
    [InlineData("a/../b", "b", true)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[a-c].txt", "d.txt", false)]
    [InlineData("[^a].txt", "a.txt", false)]
    [InlineData("[^a].txt", "b.txt", true)]
    [InlineData(@"\*.txt", "*.txt", true)]
    [InlineData(@"\*.txt", "a.txt", false)]
    [InlineData("file.txt", "fileXtxt", false)]
    [InlineData("a+b(c)", "a+b(c)", true)]
    public void A_pattern_matches_a_path_or_one_of_its_parents(string pattern, string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse(pattern);

        Assert.Equal(excluded, ignore.Excludes(path));
    }

    [Fact]
    public void The_last_matching_line_decides()
    {
        var readmeLast = DockerIgnore.Parse("*.md\nREADME-secret.md\n!README*.md");
        var secretLast = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md");

        Assert.False(readmeLast.Excludes("README-secret.md"));
        Assert.True(secretLast.Excludes("README-secret.md"));
        Assert.False(secretLast.Excludes("README.md"));
        Assert.True(secretLast.Excludes("CHANGES.md"));
    }

    [Fact]
    public void Comments_blank_lines_and_surrounding_space_are_ignored()
    {
        var ignore = DockerIgnore.Parse("\uFEFF# a comment\n\n   *.log   \r\n ! keep.log\n");

        Assert.Equal(["*.log", "!keep.log"], ignore.Patterns.Select(p => p.ToString()));
        Assert.Equal([3, 4], ignore.Patterns.Select(p => p.Line));
        Assert.True(ignore.Excludes("a.log"));
        Assert.False(ignore.Excludes("keep.log"));
    }

    [Fact]
    public void An_exception_can_re_include_a_file_inside_an_excluded_directory()
    {
        var ignore = DockerIgnore.Parse("docs\n!docs/keep.md");

        Assert.True(ignore.Excludes("docs/other.md"));
        Assert.False(ignore.Excludes("docs/keep.md"));
        Assert.False(ignore.CanSkipExcludedDirectory("docs"));
        Assert.True(ignore.CanSkipExcludedDirectory("other"));
    }

    [Fact]
    public void Keeping_adds_an_exception_only_for_a_path_that_is_excluded()
    {
        var ignore = DockerIgnore.Parse("*\n!src").Keeping(".dockerignore", "Dockerfile", "src/x");

        Assert.False(ignore.Excludes("Dockerfile"));
        Assert.False(ignore.Excludes(".dockerignore"));
        Assert.True(ignore.Excludes("other"));
        Assert.Equal(["*", "!src", "!.dockerignore", "!Dockerfile"], ignore.Patterns.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("!", 1)]
    [InlineData("ok\n[abc", 2)]
    [InlineData("[z-a]", 1)]
    [InlineData(@"trailing\", 1)]
    public void A_bad_line_is_refused_with_its_line_number(string text, int line)
    {
        var error = Assert.Throws<FormatException>(() => DockerIgnore.Parse(text, "ctx/.dockerignore"));

        Assert.StartsWith($"ctx/.dockerignore:{line}:", error.Message);
    }
}
