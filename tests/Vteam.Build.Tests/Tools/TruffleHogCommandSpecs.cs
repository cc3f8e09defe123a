using Vteam.Build.Policy.Secrets;
using Vteam.Build.Tools.TruffleHog;
using Xunit;

namespace Vteam.Build.Tests.Tools;

/// <summary>The exact argv of every trufflehog mode, against tool-contracts.md §4.</summary>
public class TruffleHogCommandSpecs
{
    private static string[] Argv(SecretScanSource source, TruffleHogSettings? settings = null)
        => TrivyCommandSpecs.SplitArguments(TruffleHogCommands.Scan("/bin/trufflehog", source, settings ?? new TruffleHogSettings()).Command.Arguments);

    [Fact]
    public void By_default_I_scan_the_whole_git_history_of_the_repository_as_a_file_uri()
    {
        Assert.Equal(["git", "file:///work/repo", "--json", "--no-update", "--results=verified,unknown", "--fail"],
            Argv(new SecretScanSource.GitRepository("/work/repo")));
    }

    [Fact]
    public void On_a_pull_request_I_scan_from_the_base_with_the_git_flags_after_the_word_git()
    {
        Assert.Equal(["git", "file:///work/repo", "--since-commit", "main", "--branch", "HEAD", "--json", "--no-update", "--results=verified,unknown", "--fail"],
            Argv(new SecretScanSource.GitRepository("/work/repo", "main", "HEAD")));
    }

    [Fact]
    public void The_filesystem_mode_takes_paths_and_the_exclude_file()
    {
        Assert.Equal(["filesystem", "/work/a", "/work/b", "--json", "--no-update", "--results=verified,unknown,unverified", "--fail", "--no-verification", "--exclude-paths", "/work/.trufflehog-exclude"],
            Argv(new SecretScanSource.Filesystem(["/work/a", "/work/b"]),
                new TruffleHogSettings { Results = ["verified", "unknown", "unverified"], NoVerification = true, ExcludePathsFile = "/work/.trufflehog-exclude" }));
    }

    [Fact]
    public void Findings_exit_183_is_success_and_1_is_an_error()
    {
        var codes = TruffleHogCommands.Scan("t", new SecretScanSource.GitRepository("/r"), new TruffleHogSettings()).ExitCodes;
        Assert.True(codes.IsSuccess(0) && codes.IsSuccess(183) && codes.Findings.Contains(183) && !codes.IsSuccess(1));
    }

    [Fact]
    public void An_unknown_results_value_is_refused_with_the_ones_trufflehog_knows()
    {
        var error = Assert.Throws<ArgumentException>(() => Argv(new SecretScanSource.GitRepository("/r"), new TruffleHogSettings { Results = ["verified", "maybe"] }));
        Assert.Contains("filtered_unverified", error.Message);
    }

    [Fact]
    public void A_pull_request_build_scans_from_its_base_branch_unless_told_otherwise()
    {
        var pr = new Dictionary<string, string> { ["GITHUB_EVENT_NAME"] = "pull_request", ["GITHUB_BASE_REF"] = "main" };
        var push = new Dictionary<string, string> { ["GITHUB_EVENT_NAME"] = "push", ["GITHUB_BASE_REF"] = "" };

        Assert.Equal(("main", "HEAD"), SecretScanStage.ResolveRange(null, null, pr.GetValueOrDefault));
        Assert.Equal(((string?)null, (string?)null), SecretScanStage.ResolveRange(null, null, push.GetValueOrDefault));
        Assert.Equal(("v1.0", (string?)null), SecretScanStage.ResolveRange("v1.0", null, pr.GetValueOrDefault));
    }
}
