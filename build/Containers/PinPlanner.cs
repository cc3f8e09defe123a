using System.Text;
using Vteam.Build.Engine;

namespace Vteam.Build.Containers;

/// <summary>What the registry said about one reference: its digest, or why there is none.</summary>
public sealed record DigestLookup(string? Digest, string? Error = null)
{
    public static DigestLookup Found(string digest) => new(digest);
    public static DigestLookup Failed(string error) => new(null, error);
}

public enum PinAction
{
    /// <summary>The digest was added.</summary>
    Pinned,
    /// <summary>Already pinned (and, with refresh, the tag still points at the pinned digest).</summary>
    Unchanged,
    /// <summary>With refresh: the tag now points elsewhere and the digest was replaced.</summary>
    Refreshed,
    /// <summary>With refresh in check mode: the tag now points elsewhere.</summary>
    Drifted,
    /// <summary>Not pinned yet and not written (check mode).</summary>
    Unpinned,
    /// <summary>scratch or a stage.</summary>
    Skipped,
    /// <summary>Cannot be pinned in place or could not be resolved.</summary>
    Failed,
}

/// <summary>Replace the text at <see cref="Span"/> (which reads <see cref="Before"/>) with <see cref="After"/>.</summary>
public sealed record TextEdit(TextSpan Span, string Before, string After, int Line);

public sealed record PinDecision(ImageSite Site, PinAction Action, string? Digest = null, TextEdit? Edit = null, string? Message = null);

public sealed record PinPlan(string File, IReadOnlyList<PinDecision> Decisions)
{
    /// <summary>One edit per place in the file (two FROMs that use one ARG share its edit).</summary>
    public IReadOnlyList<TextEdit> Edits => Decisions.Where(d => d.Edit is not null).Select(d => d.Edit!).Distinct().OrderBy(e => e.Span.Start).ToList();
    public bool Changes => Edits.Count > 0;
}

/// <summary>
/// Turns image sites and looked-up digests into edits: only the reference text changes
/// (<c>name:tag</c> becomes <c>name:tag@sha256:…</c>), so every other byte of the file stays as it was.
/// </summary>
public static class PinPlanner
{
    /// <summary>
    /// The reference to ask the registry for at a site, or null when none is needed:
    /// unpinned sites when writing, pinned ones that carry a tag when refreshing.
    /// </summary>
    public static ImageReference? LookupFor(ImageSite site, bool refresh, bool write) => site switch
    {
        { State: ImageSiteState.Unpinned, Reference: { } reference } when write => reference,
        { State: ImageSiteState.Pinned, Reference: { Tag: not null } reference } when refresh => reference.WithoutDigest(),
        _ => null,
    };

    /// <param name="write">false for a check: decide and report, edit nothing.</param>
    public static PinPlan Plan(string file, string text, IReadOnlyList<ImageSite> sites, Func<ImageSite, DigestLookup> lookup, bool refresh, bool write)
    {
        var decisions = new List<PinDecision>();
        foreach (var site in sites)
        {
            switch (site.State)
            {
                case ImageSiteState.NotAnImage:
                    decisions.Add(new PinDecision(site, PinAction.Skipped, Message: site.Via));
                    continue;
                case ImageSiteState.Unpinnable:
                    decisions.Add(new PinDecision(site, PinAction.Failed, Message: site.Problem));
                    continue;
                case ImageSiteState.Pinned when !refresh || site.Reference!.Tag is null || site.EditSpan is null:
                    decisions.Add(new PinDecision(site, PinAction.Unchanged, site.Reference!.Digest));
                    continue;
            }

            var reference = site.Reference!;
            if (site.State == ImageSiteState.Unpinned && !write)
            {
                // A check needs no registry: a reference without a digest is unpinned whatever it resolves to.
                decisions.Add(new PinDecision(site, PinAction.Unpinned, Message: $"{site.Written} is not pinned to a digest; run PinBaseImages"));
                continue;
            }
            var found = lookup(site);
            if (found.Digest is null)
            {
                decisions.Add(new PinDecision(site, PinAction.Failed, Message: found.Error ?? $"{reference.Familiar} could not be resolved"));
                continue;
            }

            var span = site.EditSpan!.Value;
            var before = text.Substring(span.Start, span.Length);
            if (site.State == ImageSiteState.Pinned)
            {
                if (found.Digest == reference.Digest)
                {
                    decisions.Add(new PinDecision(site, PinAction.Unchanged, found.Digest));
                    continue;
                }
                var message = $"{reference.WithoutDigest().Familiar} now points at {found.Digest}, pinned is {reference.Digest}";
                var refreshed = before[..before.LastIndexOf('@')] + "@" + found.Digest;
                decisions.Add(write
                    ? new PinDecision(site, PinAction.Refreshed, found.Digest, new TextEdit(span, before, refreshed, site.EditLine ?? site.Line), message)
                    : new PinDecision(site, PinAction.Drifted, found.Digest, Message: message));
                continue;
            }

            // No tag means latest; writing it out keeps the pin refreshable and says what was meant.
            var after = before + (reference.Tag is null ? ":latest" : "") + "@" + found.Digest;
            decisions.Add(new PinDecision(site, PinAction.Pinned, found.Digest, new TextEdit(span, before, after, site.EditLine ?? site.Line)));
        }
        return new PinPlan(file, decisions);
    }

    /// <summary>Applies edits to the text; each edit must still find the text it expects.</summary>
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var builder = new StringBuilder(text);
        TextEdit? previous = null;
        foreach (var edit in edits.Distinct().OrderByDescending(e => e.Span.Start))
        {
            if (previous is not null && edit.Span.End > previous.Span.Start)
                throw new InvalidOperationException($"line {edit.Line}: two edits overlap ('{edit.Before}' and '{previous.Before}')");
            if (edit.Span.End > text.Length || text.Substring(edit.Span.Start, edit.Span.Length) != edit.Before)
                throw new InvalidOperationException($"line {edit.Line}: expected '{edit.Before}' there; the file changed since it was read. Run the target again");
            builder.Remove(edit.Span.Start, edit.Span.Length).Insert(edit.Span.Start, edit.After);
            previous = edit;
        }
        return builder.ToString();
    }
}

/// <summary>Reads and writes the files being pinned, byte for byte apart from the edits.</summary>
public static class PinnedFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text exactly (a byte order mark stays in it as U+FEFF, CRLF stays CRLF).</summary>
    public static string Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidOperationException($"{path}: the file is not UTF-8 text; convert it to UTF-8 to pin it.");
        }
    }

    /// <summary>Writes the edits atomically when the file still reads as <paramref name="expected"/>; returns false when there was nothing to do.</summary>
    public static bool Apply(string path, string expected, IReadOnlyList<TextEdit> edits)
    {
        if (edits.Count == 0) return false;
        var current = Read(path);
        if (current != expected)
            throw new InvalidOperationException($"{path}: the file changed while it was being pinned; run the target again.");
        AtomicFile.WriteAllBytes(path, Utf8.GetBytes(PinPlanner.Apply(current, edits)));
        return true;
    }
}
