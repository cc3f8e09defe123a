namespace Vteam.Build.Containers;

/// <summary>A range of characters in the Dockerfile's text (the exact text the user wrote).</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// One word of an instruction. <see cref="Span"/> is where it sits in the file; it is null when the word
/// is broken across a line continuation, so it has no single place to be edited.
/// </summary>
public sealed record DockerfileWord(string Text, int Line, TextSpan? Span)
{
    /// <summary>The span of <paramref name="length"/> characters at <paramref name="offset"/> inside this word.</summary>
    public TextSpan? SubSpan(int offset, int length) => Span is { } span ? new TextSpan(span.Start + offset, length) : null;
}

public sealed record ParserDirective(string Name, string Value, int Line);

/// <summary>A heredoc body: lines that belong to the instruction above them and are never instructions.</summary>
public sealed record Heredoc(string Delimiter, int FirstLine, int LastLine);

/// <summary>A logical instruction (continuations joined), its keyword upper-cased and its words with their places.</summary>
public sealed record DockerfileInstruction(string Keyword, int Line, int EndLine, IReadOnlyList<DockerfileWord> Words, IReadOnlyList<Heredoc> Heredocs)
{
    /// <summary>Leading <c>--name[=value]</c> words.</summary>
    public IEnumerable<DockerfileWord> Flags => Words.TakeWhile(w => w.Text.StartsWith("--", StringComparison.Ordinal));
    public IReadOnlyList<DockerfileWord> Arguments => Words.SkipWhile(w => w.Text.StartsWith("--", StringComparison.Ordinal)).ToList();
}

/// <summary>An <c>ARG NAME[=default]</c>; <see cref="StageIndex"/> is -1 before the first FROM (global scope).</summary>
public sealed record ArgDeclaration(string Name, string? Default, int Line, TextSpan? DefaultSpan, int StageIndex);

/// <summary>A build stage: its FROM, and the name given with AS.</summary>
public sealed record DockerfileStage(int Index, string? Name, DockerfileInstruction From);

public enum ImageUseKind
{
    From,
    CopyFrom,
    MountFrom,
    /// <summary>An <c>image:</c> field of a Kubernetes manifest.</summary>
    ManifestImage,
    /// <summary>A <c>uses:</c> of a GitHub Actions workflow.</summary>
    WorkflowAction,
}

/// <summary>A place where the Dockerfile names an image or a stage: FROM, COPY --from=, RUN --mount=…,from=.</summary>
public sealed record ImageUse(ImageUseKind Kind, int Line, string Text, TextSpan? Span, string? Platform, int StageIndex);

/// <summary>The parsed Dockerfile: directives, instructions, stages, ARGs and image uses, all with line numbers.</summary>
public sealed record Dockerfile(
    string Path,
    string Text,
    char EscapeCharacter,
    IReadOnlyList<ParserDirective> Directives,
    IReadOnlyList<DockerfileInstruction> Instructions,
    IReadOnlyList<DockerfileStage> Stages,
    IReadOnlyList<ArgDeclaration> Args,
    IReadOnlyList<ImageUse> ImageUses)
{
    public IEnumerable<ArgDeclaration> GlobalArgs => Args.Where(a => a.StageIndex < 0);

    public static Dockerfile Parse(string path, string text) => DockerfileParser.Parse(path, text);
}
