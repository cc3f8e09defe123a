using Vteam.Build.Containers;
using Xunit;

namespace Vteam.Build.Tests.Containers;

public class DockerfileParserSpecs
{
    [Fact]
    public void I_get_the_parser_directives_and_the_escape_character()
    {
        var dockerfile = Dockerfile.Parse("Dockerfile", "# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.20\n");

        Assert.Equal('`', dockerfile.EscapeCharacter);
        Assert.Equal(["syntax", "escape"], dockerfile.Directives.Select(d => d.Name));
        Assert.Equal(3, dockerfile.Instructions.Single().Line);
    }

    [Fact]
    public void A_directive_after_a_comment_is_only_a_comment()
    {
        var dockerfile = Dockerfile.Parse("Dockerfile", "# hello\n# escape=`\nFROM alpine:3.20\nRUN echo `\n");

        Assert.Equal('\\', dockerfile.EscapeCharacter);
        Assert.Empty(dockerfile.Directives);
        Assert.Equal("`", dockerfile.Instructions[1].Words[^1].Text);
    }

    [Fact]
    public void An_unknown_escape_character_is_refused_with_its_line()
    {
        var error = Assert.Throws<DockerfileException>(() => Dockerfile.Parse("c/Dockerfile", "# escape=x\nFROM a\n"));

        Assert.Equal("c/Dockerfile:1: the escape directive must be '\\' or '`', not 'x'.", error.Message);
    }

    [Fact]
    public void A_word_keeps_its_line_and_exact_span_across_continuations()
    {
        const string text = "FROM \\\n  alpine:3.20 \\\n  AS base\nRUN a \\\n # note\n b\n";
        var dockerfile = Dockerfile.Parse("Dockerfile", text);

        var from = dockerfile.Instructions[0];
        var image = from.Words[0];
        Assert.Equal((1, 3), (from.Line, from.EndLine));
        Assert.Equal(2, image.Line);
        Assert.Equal("alpine:3.20", text.Substring(image.Span!.Value.Start, image.Span.Value.Length));
        Assert.Equal("base", dockerfile.Stages[0].Name);
        Assert.Equal(["a", "b"], dockerfile.Instructions[1].Words.Select(w => w.Text));
        Assert.Equal(6, dockerfile.Instructions[1].EndLine);
    }

    [Fact]
    public void Heredoc_bodies_are_not_instructions()
    {
        const string text = "FROM a\nRUN <<EOF bash\nFROM b\nEOF\nCOPY <<-X <<Y /d/\n\tFROM c\n\tX\nFROM d\nY\nFROM e\n";
        var dockerfile = Dockerfile.Parse("Dockerfile", text);

        Assert.Equal(["FROM", "RUN", "COPY", "FROM"], dockerfile.Instructions.Select(i => i.Keyword));
        Assert.Equal(["a", "e"], dockerfile.ImageUses.Select(u => u.Text));
        Assert.Equal([(3, 4), (6, 7), (8, 9)], dockerfile.Instructions.SelectMany(i => i.Heredocs).Select(h => (h.FirstLine, h.LastLine)));
    }

    [Fact]
    public void An_unclosed_heredoc_is_refused_with_its_line()
    {
        var error = Assert.Throws<DockerfileException>(() => Dockerfile.Parse("Dockerfile", "FROM a\nRUN <<EOT\necho\n"));

        Assert.Contains("Dockerfile:2: the heredoc <<EOT is never closed", error.Message);
    }

    [Fact]
    public void A_FROM_without_an_image_is_refused()
    {
        var error = Assert.Throws<DockerfileException>(() => Dockerfile.Parse("Dockerfile", "\n\nFROM --platform=linux/amd64\n"));

        Assert.StartsWith("Dockerfile:3: FROM names no image", error.Message);
    }

    [Fact]
    public void I_get_ARGs_in_global_and_stage_scope_with_their_default_spans()
    {
        const string text = "ARG A=x:1 B\nFROM ${A}\nARG C=\"y:2\"\n";
        var dockerfile = Dockerfile.Parse("Dockerfile", text);

        Assert.Equal([("A", "x:1", -1), ("B", null, -1), ("C", "y:2", 0)], dockerfile.Args.Select(a => (a.Name, a.Default, a.StageIndex)));
        var c = dockerfile.Args[2];
        Assert.Equal("y:2", text.Substring(c.DefaultSpan!.Value.Start, c.DefaultSpan.Value.Length));
    }

    [Fact]
    public void I_get_images_from_COPY_from_and_RUN_mount_from_with_their_spans()
    {
        const string text = "FROM a\nCOPY --chown=1 --from=b:1 / /\nRUN --mount=type=bind,from=c:2,target=/c true\n";
        var dockerfile = Dockerfile.Parse("Dockerfile", text);

        var uses = dockerfile.ImageUses.Skip(1).ToList();
        Assert.Equal([(ImageUseKind.CopyFrom, "b:1", 2), (ImageUseKind.MountFrom, "c:2", 3)], uses.Select(u => (u.Kind, u.Text, u.Line)));
        Assert.All(uses, u => Assert.Equal(u.Text, text.Substring(u.Span!.Value.Start, u.Span.Value.Length)));
    }

    [Fact]
    public void A_FROM_that_is_wholly_an_ARG_is_pinned_at_the_ARG_default()
    {
        var dockerfile = Dockerfile.Parse("Dockerfile", "ARG BASE=alpine:3.20\nFROM ${BASE}\n");

        var site = ImageSiteFinder.Find(dockerfile).Single();

        Assert.Equal(ImageSiteState.Unpinned, site.State);
        Assert.Equal((2, 1), (site.Line, site.EditLine!.Value));
        Assert.Equal("alpine:3.20", dockerfile.Text.Substring(site.EditSpan!.Value.Start, site.EditSpan.Value.Length));
    }

    [Fact]
    public void A_FROM_that_is_an_ARG_without_default_is_reported()
    {
        var dockerfile = Dockerfile.Parse("Dockerfile", "ARG BASE\nFROM ${BASE}\n");

        var site = ImageSiteFinder.Find(dockerfile).Single();

        Assert.Equal(ImageSiteState.Unpinnable, site.State);
        Assert.Contains("ARG BASE has no default", site.Problem);
    }

    [Fact]
    public void A_build_arg_that_names_a_stage_or_a_pinned_image_needs_no_pin()
    {
        var dockerfile = Dockerfile.Parse("Dockerfile", "ARG BASE=alpine:3.20\nFROM golang AS build\nFROM ${BASE}\n");

        var sites = ImageSiteFinder.Find(dockerfile, new Dictionary<string, string> { ["BASE"] = "build" });

        Assert.Equal(ImageSiteState.NotAnImage, sites[1].State);
    }
}
