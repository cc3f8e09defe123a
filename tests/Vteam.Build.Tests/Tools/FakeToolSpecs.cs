using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Engine;
using Vteam.Build.Tools;
using Vteam.Build.Tools.Trivy;
using Vteam.Build.Tools.TruffleHog;
using Xunit;

namespace Vteam.Build.Tests.Tools;

/// <summary>
/// The fakes are as strict as the real tools (tool-contracts.md): every command line our factories
/// build is accepted, and what the real tool rejects is rejected in the real tool's words.
/// </summary>
public class FakeToolSpecs
{
    private readonly string _work = Directory.CreateTempSubdirectory("fakes-").FullName;

    private TrivySettings Settings => new() { CacheDirectory = Path.Combine(_work, "cache"), WorkingDirectory = _work };

    private static async Task<BufferedCommandResult> Run(string tool, params string[] args)
        => await Cli.Wrap(FakeToolbox.PathOf(tool)).WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    private static async Task<BufferedCommandResult> Run(ToolInvocation invocation)
        => await invocation.Command.WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    [Fact]
    public async Task Every_trivy_mode_our_factory_builds_is_accepted_and_writes_a_report_we_parse()
    {
        var tarball = DockerArchive.Write(Path.Combine(_work, "backend.tar"));
        var settingsByMode = new[]
        {
            Settings,
            Settings with { IgnoreUnfixed = true, Severities = ["HIGH", "CRITICAL"], DbRepository = "mirror.local/trivy-db:2", JavaDbRepository = "mirror.local/java-db:1" },
            Settings with { SkipDbUpdate = true, OfflineScan = true, Timeout = TimeSpan.FromMinutes(2), Platform = "linux/amd64" },
        };
        foreach (var (settings, i) in settingsByMode.Select((s, i) => (s, i)))
        {
            var json = Path.Combine(_work, $"report-{i}.json");
            var scan = await Run(TrivyCommands.ImageScan(FakeToolbox.PathOf("trivy"), settings, new TrivyTarget.Archive(tarball), json));
            Assert.True(scan.ExitCode == 0, scan.StandardError);
            Assert.Equal(tarball, TrivyReportParser.Parse(await File.ReadAllTextAsync(json), json).ArtifactName);

            var sarif = Path.Combine(_work, $"report-{i}.sarif");
            var ignore = Path.Combine(_work, ".trivyignore.yaml");
            await File.WriteAllTextAsync(ignore, "vulnerabilities:\n  - id: CVE-1\n");
            var convert = await Run(TrivyCommands.ConvertToSarif(FakeToolbox.PathOf("trivy"), settings, json, sarif, ignore));
            Assert.True(convert.ExitCode == 0, convert.StandardError);
            Assert.True(File.Exists(sarif));
        }
    }

    [Fact]
    public async Task Trivy_rejects_an_unknown_flag_with_usage_on_stdout_and_FATAL_on_stderr()
    {
        var result = await Run("trivy", "image", "--severity-level", "HIGH", "x@sha256:" + new string('a', 64));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Usage:\n  trivy image [flags] IMAGE_NAME", result.StandardOutput);
        Assert.Matches(@"^\S+\tFATAL\tFatal error\tunknown flag: --severity-level", result.StandardError);
    }

    [Theory]
    [InlineData("unknown flag: --ignore-unfixed", "convert", "--ignore-unfixed", "--format", "sarif", "r.json")]
    [InlineData("requires at least 1 arg(s), only received 0", "image", "--format", "json")]
    [InlineData("both an image name", "image", "--input", "a.tar", "x@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("unknown severity: high", "image", "--severity", "high", "--input", "a.tar")]
    [InlineData("ignore file not found: /nonexistent/.trivyignore.yaml", "image", "--ignorefile", "/nonexistent/.trivyignore.yaml", "--input", "a.tar")]
    [InlineData("failed to create an output file: open /nonexistent/dir/r.json", "image", "--output", "/nonexistent/dir/r.json", "--input", "a.tar")]
    [InlineData("flag needs an argument: --output", "image", "--input", "a.tar", "--output")]
    [InlineData("unknown shorthand flag: 'x' in -x", "image", "-x", "--input", "a.tar")]
    public async Task Trivy_rejects_what_the_real_trivy_rejects(string expected, params string[] args)
    {
        var result = await Run("trivy", args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public async Task Trivy_refuses_to_skip_the_db_update_on_the_first_run_and_honours_the_mirror()
    {
        var tarball = DockerArchive.Write(Path.Combine(_work, "a.tar"));
        var cache = Path.Combine(_work, "fresh-cache");

        var first = await Run("trivy", "image", "--cache-dir", cache, "--skip-db-update", "--input", tarball);
        var download = await Run("trivy", "image", "--cache-dir", cache, "--db-repository", "mirror.local/trivy-db:2", "--format", "json", "--input", tarball);
        var second = await Run("trivy", "image", "--cache-dir", cache, "--skip-db-update", "--format", "json", "--input", tarball);

        Assert.Contains("--skip-db-update cannot be specified on the first run", first.StandardError);
        Assert.Contains("repository=\"mirror.local/trivy-db:2\"", download.StandardError);
        Assert.Equal(0, second.ExitCode);
    }

    [Fact]
    public async Task Trivy_exits_with_the_chosen_code_on_findings_and_filters_like_trivy()
    {
        var tarball = DockerArchive.Write(Path.Combine(_work, "a.tar"));
        var script = FakeToolbox.Script("trivy", new Dictionary<string, string> { ["FAKE_TRIVY_MODE"] = "critical,high=2,unfixed" });
        var json = Path.Combine(_work, "r.json");

        var all = await Cli.Wrap(script).WithArguments(["image", "--cache-dir", Path.Combine(_work, "c"), "--exit-code", "4", "--format", "json", "--output", json, "--input", tarball])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        var allReport = TrivyReportParser.Parse(await File.ReadAllTextAsync(json), json);
        var filtered = await Cli.Wrap(script).WithArguments(["image", "--cache-dir", Path.Combine(_work, "c"), "--exit-code", "4", "--severity", "CRITICAL", "--ignore-unfixed", "--format", "json", "--output", json, "--input", tarball])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        var filteredReport = TrivyReportParser.Parse(await File.ReadAllTextAsync(json), json);

        Assert.Equal((4, 5), (all.ExitCode, allReport.Vulnerabilities.Count));
        Assert.Equal((4, 2), (filtered.ExitCode, filteredReport.Vulnerabilities.Count));
        Assert.All(filteredReport.Vulnerabilities, v => Assert.Equal(Severity.Critical, v.Severity));
    }

    [Fact]
    public async Task Trivy_scans_an_image_by_digest_only_if_the_registry_has_it()
    {
        var result = await Run("trivy", "image", "--cache-dir", Path.Combine(_work, "c"), $"127.0.0.1:1/vteam/backend@sha256:{new string('a', 64)}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unable to find the specified image", result.StandardError);
    }

    [Fact]
    public async Task Every_trufflehog_mode_our_factory_builds_is_accepted()
    {
        var repository = GitRepository.Create(Path.Combine(_work, "repo"));
        var exclude = Path.Combine(_work, "exclude.txt");
        await File.WriteAllTextAsync(exclude, "^vendor/\n");
        var first = repository.Commit("README.md", "hello\n");
        repository.Commit("src/app.txt", "more\n");
        var modes = new (SecretScanSource Source, TruffleHogSettings Settings)[]
        {
            (new SecretScanSource.GitRepository(repository.Path), new TruffleHogSettings()),
            (new SecretScanSource.GitRepository(repository.Path, first, "HEAD"), new TruffleHogSettings { ExcludePathsFile = exclude, Concurrency = 2 }),
            (new SecretScanSource.Filesystem([Path.Combine(repository.Path, "src")]), new TruffleHogSettings { Results = ["verified", "unknown", "unverified"], NoVerification = true }),
        };
        foreach (var (source, settings) in modes)
        {
            var result = await Run(TruffleHogCommands.Scan(FakeToolbox.PathOf("trufflehog"), source, settings));
            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Contains("\"msg\":\"finished scanning\"", result.StandardError);
        }
    }

    [Theory]
    [InlineData("trufflehog: error: unknown long flag '--bogus', try --help", "git", "file:///tmp", "--bogus")]
    [InlineData("trufflehog: error: required argument 'uri' not provided, try --help", "git", "--json")]
    [InlineData("trufflehog: error: unexpected false, try --help", "git", "file:///tmp", "--json=false")]
    [InlineData("trufflehog: error: expected command but got \"main\", try --help", "--since-commit", "main", "git", "file:///tmp")]
    [InlineData("trufflehog: error: invalid results type: maybe, try --help", "git", "file:///tmp", "--results=verified,maybe")]
    [InlineData("a scheme (file://, https://, ssh://) is required", "git", "/tmp/repo", "--json")]
    public async Task Trufflehog_rejects_what_the_real_trufflehog_rejects(string expected, params string[] args)
    {
        var result = await Run("trufflehog", args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public async Task Trufflehog_finds_a_planted_secret_in_history_and_exits_183_with_fail()
    {
        var repository = GitRepository.Create(Path.Combine(_work, "repo"));
        var added = repository.Commit("config/aws.env", "# keys\nAWS_ACCESS_KEY_ID=AKIA" + "QYLPMN5HHHFPZAM2\n");
        repository.Commit("config/aws.env", "# keys removed\n");
        var script = FakeToolbox.Script("trufflehog", new Dictionary<string, string> { ["FAKE_TRUFFLEHOG_PLANT"] = "AKIA" + "QYLPMN5HHHFPZAM2" });

        var result = await Cli.Wrap(script).WithArguments(["git", $"file://{repository.Path}", "--json", "--results=verified,unknown", "--fail"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        Assert.Equal(183, result.ExitCode);
        var finding = Assert.Single(TruffleHogParser.Parse(result.StandardOutput, new SecretMasker()));
        Assert.Equal(("config/aws.env", 2, added, SecretVerification.Verified), (finding.File, finding.Line, finding.Commit, finding.Verification));
    }
}

/// <summary>A real git repository in a temporary folder.</summary>
public sealed class GitRepository
{
    private GitRepository(string path) => Path = path;

    public string Path { get; }

    public static GitRepository Create(string path)
    {
        Directory.CreateDirectory(path);
        var repository = new GitRepository(path);
        repository.Git("init", "-q", "-b", "main");
        repository.Git("config", "user.email", "dev@example.com");
        repository.Git("config", "user.name", "dev");
        repository.Git("config", "commit.gpgsign", "false");
        return repository;
    }

    /// <summary>Writes a file, commits it, returns the commit's sha.</summary>
    public string Commit(string file, string content)
    {
        var full = System.IO.Path.Combine(Path, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        Git("add", "-A");
        Git("commit", "-q", "-m", $"change {file}");
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args)
    {
        var result = Cli.Wrap("git").WithArguments(args).WithWorkingDirectory(Path).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result.StandardError}");
        return result.StandardOutput;
    }
}
