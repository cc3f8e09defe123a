using System.Diagnostics;
using Vteam.Build.Release;
using Xunit;

namespace Vteam.Build.Tests.Release;

public class ChecksumsSpecs
{
    [Fact]
    public void SHA256SUMS_is_sorted_by_name_and_in_sha256sum_format()
    {
        var text = Checksums.Render([
            new LocalAsset("b.json", "/b", 1, new string('b', 64), "application/json"),
            new LocalAsset("a.json", "/a", 1, new string('A', 64), "application/json"),
        ]);

        Assert.Equal($"{new string('a', 64)}  a.json\n{new string('b', 64)}  b.json\n", text);
    }

    [Fact]
    public void The_real_sha256sum_checks_the_files_against_our_SHA256SUMS()
    {
        var directory = Directory.CreateTempSubdirectory("sums-").FullName;
        File.WriteAllText(Path.Combine(directory, "one.json"), "{\"one\":1}\n");
        File.WriteAllBytes(Path.Combine(directory, "two.sarif"), [0, 1, 2, 255]);
        var assets = new[] { "one.json", "two.sarif" }.Select(n => LocalAsset.FromFile(n, Path.Combine(directory, n))).ToArray();
        File.WriteAllText(Path.Combine(directory, Checksums.FileName), Checksums.Render(assets));

        using var check = Process.Start(new ProcessStartInfo("sha256sum", ["-c", Checksums.FileName])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = check.StandardOutput.ReadToEnd();
        check.WaitForExit();

        Assert.True(check.ExitCode == 0, output + check.StandardError.ReadToEnd());
        Assert.Contains("one.json: OK", output);
        Assert.Contains("two.sarif: OK", output);
    }

    [Fact]
    public void I_can_read_text_and_binary_mode_lines()
    {
        var sums = Checksums.Parse($"{new string('A', 64)}  a.json\n\n{new string('b', 64)} *b.bin\n");

        Assert.Equal(new string('a', 64), sums["a.json"]);
        Assert.Equal(new string('b', 64), sums["b.bin"]);
    }

    [Fact]
    public void A_line_that_is_not_a_checksum_is_reported_with_its_line_number()
    {
        var error = Assert.Throws<FormatException>(() => Checksums.Parse($"{new string('a', 64)}  a.json\nnot a checksum line at all, no\n", "remote SHA256SUMS"));

        Assert.StartsWith("remote SHA256SUMS:2:", error.Message);
    }

    [Fact]
    public void A_name_with_a_line_break_cannot_be_listed()
    {
        Assert.Throws<ArgumentException>(() => Checksums.Render([new LocalAsset("a\nb", "/x", 1, new string('a', 64), "text/plain")]));
    }
}
