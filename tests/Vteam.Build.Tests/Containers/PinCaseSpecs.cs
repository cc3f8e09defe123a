using System.Security.Cryptography;
using System.Text;
using Vteam.Build.Containers;
using Xunit;

namespace Vteam.Build.Tests.Containers;

/// <summary>
/// Golden cases in PinCases/&lt;case&gt;/: Dockerfile (input), optional args (NAME=value per line) and
/// options (refresh, check), expected (the file after pinning) and report (one line per image site).
/// Digests come from a stand-in lookup: sha256 of the reference and platform, so they are stable.
/// </summary>
public class PinCaseSpecs
{
    private static string CasesFolder => Path.Combine(TestRepository.ContainersTests, "PinCases");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(CasesFolder).OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(directory));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_pin_case_rewrites_only_the_references(string name)
    {
        var folder = Path.Combine(CasesFolder, name);
        var (text, plan) = PlanCase(folder, File.ReadAllBytes(Path.Combine(folder, "Dockerfile")));

        var rewritten = PinPlanner.Apply(text, plan.Edits);

        Golden.Check(Path.Combine(folder, "expected"), rewritten);
        Golden.Check(Path.Combine(folder, "report"), Report(plan));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pinning_a_pinned_case_again_changes_nothing(string name)
    {
        var folder = Path.Combine(CasesFolder, name);
        var expected = Path.Combine(folder, "expected");
        if (!File.Exists(expected)) return;

        var (_, plan) = PlanCase(folder, File.ReadAllBytes(expected));

        Assert.Empty(plan.Edits);
    }

    [Fact]
    public void Only_the_reference_bytes_differ_between_input_and_output()
    {
        var folder = Path.Combine(CasesFolder, "crlf-comments-and-case");
        var input = File.ReadAllBytes(Path.Combine(folder, "Dockerfile"));
        var (text, plan) = PlanCase(folder, input);

        var output = Encoding.UTF8.GetBytes(PinPlanner.Apply(text, plan.Edits));

        Assert.NotEmpty(plan.Edits);
        var inserted = plan.Edits.Sum(e => Encoding.UTF8.GetByteCount(e.After) - Encoding.UTF8.GetByteCount(e.Before));
        Assert.Equal(input.Length + inserted, output.Length);
        Assert.Equal(input.Count(b => b == '\r'), output.Count(b => b == '\r'));
        var removedDigests = Encoding.UTF8.GetString(output);
        foreach (var edit in plan.Edits) removedDigests = removedDigests.Replace(edit.After, edit.Before);
        Assert.Equal(input, Encoding.UTF8.GetBytes(removedDigests));
    }

    internal static string FakeDigest(ImageReference reference, string? platform)
        => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference.WithoutDigest().Canonical + "|" + platform)));

    private static (string Text, PinPlan Plan) PlanCase(string folder, byte[] bytes)
    {
        var text = new UTF8Encoding(false).GetString(bytes);
        var options = ReadLines(Path.Combine(folder, "options")).ToHashSet();
        var args = ReadLines(Path.Combine(folder, "args")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var dockerfile = Dockerfile.Parse("Dockerfile", text);
        var sites = ImageSiteFinder.Find(dockerfile, args);
        var refresh = options.Contains("refresh");
        var write = !options.Contains("check");
        var plan = PinPlanner.Plan("Dockerfile", text, sites,
            site => site.Reference!.Name == "docker.io/library/unknown"
                ? DigestLookup.Failed("docker.io/library/unknown: manifest unknown")
                : DigestLookup.Found(FakeDigest(PinPlanner.LookupFor(site, refresh, write)!, site.Platform)),
            refresh, write);
        return (text, plan);
    }

    private static string Report(PinPlan plan)
    {
        var builder = new StringBuilder();
        foreach (var d in plan.Decisions)
        {
            builder.Append($"{d.Site.Line}\t{d.Site.Kind}\t{d.Site.Written}\t{d.Action}");
            if (d.Site.EditLine is { } editLine && editLine != d.Site.Line) builder.Append($"\tat line {editLine}");
            if (d.Site.Via is not null) builder.Append($"\tvia {d.Site.Via}");
            if (d.Site.Platform is not null) builder.Append($"\tplatform {d.Site.Platform}");
            if (d.Message is not null && d.Action != PinAction.Skipped) builder.Append($"\t{d.Message}");
            builder.Append('\n');
        }
        return builder.ToString();
    }

    private static IEnumerable<string> ReadLines(string path)
        => File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0) : [];
}
