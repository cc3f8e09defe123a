using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FakeTools;

/// <summary>
/// trufflehog v3.97 as the build sees it (tool-contracts.md §4): kingpin flags, git and filesystem
/// sources, JSON lines on stdout, exit 183 with --fail. It really walks the git history (honouring
/// --since-commit, --branch, -x) or the files, looking for planted secrets. Env:
/// FAKE_TRUFFLEHOG_PLANT = secrets to find (comma list; AKIA… is reported as AWS with RawV2 = id + secret);
/// FAKE_TRUFFLEHOG_SECRET = the secret half of an AWS RawV2; FAKE_TRUFFLEHOG_VERIFY = verified (default) |
/// unknown | unverified; FAKE_TRUFFLEHOG_MODE = crash | hang | garbage; FAKE_TRUFFLEHOG_VERSION.
/// </summary>
public static partial class TruffleHogFake
{
    private const string DefaultSecretHalf = "wJalrXUtnFEMIzK7MDENGzbPxRfiCYFAKEKEY01";
    private static readonly string[] ResultTypes = ["verified", "unknown", "unverified", "filtered_unverified"];

    private static readonly FlagDef[] GlobalFlags =
    [
        new("json", 'j', true), new("json-legacy", null, true), new("github-actions", null, true), new("sarif", null, true),
        new("concurrency"), new("no-verification", null, true), new("only-verified", null, true), new("results"),
        new("allow-verification-overlap", null, true), new("filter-unverified", null, true), new("filter-entropy"),
        new("config"), new("print-avg-detector-time", null, true), new("no-update", null, true), new("fail", null, true),
        new("fail-on-scan-errors", null, true), new("verifier"), new("custom-verifiers-only", null, true),
        new("archive-max-size"), new("archive-max-depth"), new("archive-timeout"), new("include-detectors"), new("exclude-detectors"),
        new("no-verification-cache", null, true), new("force-skip-binaries", null, true), new("force-skip-archives", null, true),
        new("skip-additional-refs", null, true), new("user-agent-suffix"), new("log-level"), new("profile", null, true),
        new("debug", null, true), new("trace", null, true), new("no-color", null, true),
    ];

    private static readonly FlagDef[] GitFlags =
    [
        .. GlobalFlags, new("include-paths", 'i'), new("exclude-paths", 'x'), new("exclude-globs"), new("since-commit"), new("branch"),
        new("max-depth"), new("bare", null, true), new("clone-path"), new("no-cleanup", null, true), new("trust-local-git-config", null, true),
    ];

    private static readonly FlagDef[] FilesystemFlags =
    [
        .. GlobalFlags, new("include-paths", 'i'), new("exclude-paths", 'x'), new("directory"), new("max-symlink-depth", 's'),
    ];

    private static int _verified, _unverified;

    public static int Run(string[] args)
    {
        if (args.Contains("--version"))
        {
            Console.Error.WriteLine($"trufflehog {Environment.GetEnvironmentVariable("FAKE_TRUFFLEHOG_VERSION") ?? "3.97.0"}");
            return 0;
        }
        var command = args.FirstOrDefault(a => !a.StartsWith('-'));
        if (command is null) return Error("expected command but got nothing");
        var modes = new Modes("trufflehog");
        if (modes.Misbehave("trufflehog") is { } code) return code;
        var rest = args.Where((_, i) => i != Array.IndexOf(args, command)).ToList();
        return command switch
        {
            "git" => Git(rest, modes),
            "filesystem" => Filesystem(rest, modes),
            "github" or "gitlab" or "docker" or "s3" or "gcs" or "syslog" or "circleci" or "travisci" or "postman" or "jenkins" or "elasticsearch" or "huggingface" or "stdin" or "multi-scan" or "analyze"
                => Error($"fake trufflehog: the {command} source is not implemented"),
            _ => Error($"expected command but got \"{command}\""),
        };
    }

    private static int Git(List<string> args, Modes modes)
    {
        var a = FlagParser.Kingpin(args, GitFlags);
        if (a.Error is not null) return Error(a.Error);
        if (a.Positionals.Count == 0) return Error("required argument 'uri' not provided");
        if (a.Positionals.Count > 1) return Error($"unexpected {a.Positionals[1]}");
        if (CheckResults(a) is { } resultsError) return Error(resultsError);
        var uri = a.Positionals[0];
        if (!uri.StartsWith("file://", StringComparison.Ordinal) && !uri.StartsWith("https://", StringComparison.Ordinal)
            && !uri.StartsWith("http://", StringComparison.Ordinal) && !uri.StartsWith("ssh://", StringComparison.Ordinal))
            return Fail(a, $"error parsing git URI \"{uri}\": a scheme (file://, https://, ssh://) is required");
        if (!uri.StartsWith("file://", StringComparison.Ordinal)) return Fail(a, $"fake trufflehog: cannot reach {uri} (no network)");
        var repo = new Uri(uri).LocalPath;
        if (GitOutput(repo, "rev-parse", "--git-dir") is null) return Fail(a, $"error cloning repo {uri}: repository does not exist");

        string[] range;
        var branch = a.Get("branch");
        if (branch is not null && GitOutput(repo, "rev-parse", "--verify", branch + "^{commit}") is null)
            return Fail(a, $"unable to resolve branch {branch}");
        if (a.Get("since-commit") is { } since)
        {
            if (GitOutput(repo, "rev-parse", "--verify", since + "^{commit}") is null) return Fail(a, $"unable to resolve since-commit {since}");
            range = [$"{since}..{branch ?? "HEAD"}"];
        }
        else range = branch is not null ? [branch] : ["--all"];

        var excludes = Patterns(a.Get("exclude-paths"));
        var includes = Patterns(a.Get("include-paths"));
        var log = GitOutput(repo, ["log", "-p", "-U0", "--no-color", "--no-ext-diff", "--date=format:%Y-%m-%d %H:%M:%S %z",
            "--format=%x00COMMIT%x00%H%x00%an <%ae>%x00%ad", .. range]) ?? "";
        string? commit = null, email = null, timestamp = null, file = null;
        var line = 0;
        var found = 0;
        foreach (var text in log.Split('\n'))
        {
            if (text.StartsWith("\0COMMIT\0", StringComparison.Ordinal))
            {
                var parts = text.Split('\0');
                (commit, email, timestamp) = (parts[2], parts[3], parts[4]);
                file = null;
            }
            else if (text.StartsWith("+++ ", StringComparison.Ordinal)) file = text[4..] == "/dev/null" ? null : text[6..];
            else if (text.StartsWith("@@", StringComparison.Ordinal) && HunkStart().Match(text) is { Success: true } hunk) line = int.Parse(hunk.Groups[1].Value);
            else if (text.StartsWith('+') && file is not null)
            {
                if (Selected(file, includes, excludes))
                    foreach (var secret in Plants().Where(p => text.Contains(p, StringComparison.Ordinal)))
                    {
                        var metadata = new JsonObject
                        {
                            ["Git"] = new JsonObject
                            {
                                ["commit"] = commit, ["file"] = file, ["email"] = email, ["repository"] = uri,
                                ["timestamp"] = timestamp, ["line"] = line, ["repository_local_path"] = repo,
                            },
                        };
                        if (Emit(a, metadata, 16, "trufflehog - git", secret)) found++;
                    }
                line++;
            }
        }
        return Finish(a, found);
    }

    private static int Filesystem(List<string> args, Modes modes)
    {
        var a = FlagParser.Kingpin(args, FilesystemFlags);
        if (a.Error is not null) return Error(a.Error);
        var paths = a.Positionals.Concat(a.All("directory")).ToList();
        if (paths.Count == 0) return Error("required argument 'path' not provided");
        if (CheckResults(a) is { } resultsError) return Error(resultsError);
        var excludes = Patterns(a.Get("exclude-paths"));
        var includes = Patterns(a.Get("include-paths"));
        var found = 0;
        foreach (var root in paths)
        {
            if (!File.Exists(root) && !Directory.Exists(root)) return Fail(a, $"error scanning {root}: lstat {root}: no such file or directory");
            var files = File.Exists(root) ? [root] : Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Contains(".git"));
            foreach (var path in files.Order(StringComparer.Ordinal))
            {
                if (!Selected(path, includes, excludes)) continue;
                var lines = File.ReadAllLines(path);
                for (var i = 0; i < lines.Length; i++)
                    foreach (var secret in Plants().Where(p => lines[i].Contains(p, StringComparison.Ordinal)))
                        if (Emit(a, new JsonObject { ["Filesystem"] = new JsonObject { ["file"] = path, ["line"] = i + 1 } }, 15, "trufflehog - filesystem", secret))
                            found++;
            }
        }
        return Finish(a, found);
    }

    private static string? CheckResults(ParsedArgs a)
    {
        foreach (var value in (a.Get("results") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (!ResultTypes.Contains(value)) return $"invalid results type: {value}";
        return null;
    }

    /// <summary>Prints one finding when --results lets it through; true when it counts as found.</summary>
    private static bool Emit(ParsedArgs a, JsonObject data, int sourceType, string sourceName, string raw)
    {
        var verification = a.Flag("no-verification") ? "unverified" : Environment.GetEnvironmentVariable("FAKE_TRUFFLEHOG_VERIFY") ?? "verified";
        var results = a.Flag("only-verified") ? ["verified"] : (a.Get("results") ?? "verified,unverified,unknown").Split(',');
        if (!results.Contains(verification)) return false;
        if (verification == "verified") _verified++; else _unverified++;
        if (Environment.GetEnvironmentVariable("FAKE_TRUFFLEHOG_MODE") == "garbage")
        {
            Console.Out.WriteLine($"panic: detector output could not be encoded: {raw}");
            return true;
        }
        var aws = raw.StartsWith("AKIA", StringComparison.Ordinal);
        var half = Environment.GetEnvironmentVariable("FAKE_TRUFFLEHOG_SECRET") ?? DefaultSecretHalf;
        var finding = new JsonObject
        {
            ["SourceMetadata"] = new JsonObject { ["Data"] = data },
            ["SourceID"] = 1,
            ["SourceType"] = sourceType,
            ["SourceName"] = sourceName,
            ["DetectorType"] = aws ? 2 : 0,
            ["DetectorName"] = aws ? "AWS" : "Generic",
            ["DetectorDescription"] = aws ? "AWS (Amazon Web Services) is a comprehensive cloud computing platform." : "A generic secret.",
            ["DecoderName"] = "PLAIN",
            ["Verified"] = verification == "verified",
        };
        if (verification == "unknown") finding["VerificationError"] = "lookup sts.amazonaws.com: no such host";
        finding["VerificationFromCache"] = false;
        finding["Raw"] = raw;
        finding["RawV2"] = aws ? raw + half : null;
        // AWS redacts to the key id, which is the Raw value itself: exactly what must be masked.
        finding["Redacted"] = aws ? raw : "";
        finding["ExtraData"] = aws ? new JsonObject { ["account"] = "595918472158", ["resource_type"] = "Access key" } : null;
        finding["StructuredData"] = null;
        finding["SecretParts"] = aws ? new JsonObject { ["key"] = raw, ["secret"] = half } : null;
        if (!a.Flag("json"))
        {
            Console.Out.WriteLine($"Found {(verification == "verified" ? "verified" : "unverified")} result 🐷🔑\nDetector Type: {finding["DetectorName"]}\nRaw result: {raw}\n");
            return true;
        }
        Console.Out.WriteLine(finding.ToJsonString());
        return true;
    }

    private static int Finish(ParsedArgs a, int found)
    {
        Log(a, "info-0", "finished scanning", new JsonObject
        {
            ["chunks"] = 42, ["bytes"] = 4096, ["verified_secrets"] = _verified, ["unverified_secrets"] = _unverified,
            ["scan_duration"] = "12.3ms", ["trufflehog_version"] = Environment.GetEnvironmentVariable("FAKE_TRUFFLEHOG_VERSION") ?? "3.97.0",
        });
        return found > 0 && a.Flag("fail") ? 183 : 0;
    }

    private static IEnumerable<string> Plants()
        => (Environment.GetEnvironmentVariable("FAKE_TRUFFLEHOG_PLANT") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<Regex> Patterns(string? file)
        => file is null ? [] : File.ReadAllLines(file).Where(l => l.Trim().Length > 0).Select(l => new Regex(l.Trim())).ToList();

    private static bool Selected(string path, List<Regex> includes, List<Regex> excludes)
        => (includes.Count == 0 || includes.Any(r => r.IsMatch(path))) && !excludes.Any(r => r.IsMatch(path));

    private static string? GitOutput(string repo, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repo);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result : null;
    }

    private static void Log(ParsedArgs a, string level, string message, JsonObject? fields = null)
    {
        if (!a.Flag("json"))
        {
            Console.Error.WriteLine($"{Modes.Timestamp()}\t{level}\ttrufflehog\t{message}\t{fields?.ToJsonString()}");
            return;
        }
        var entry = new JsonObject { ["level"] = level, ["ts"] = Modes.Timestamp(), ["logger"] = "trufflehog", ["msg"] = message };
        foreach (var (key, value) in fields ?? []) entry[key] = value?.DeepClone();
        Console.Error.WriteLine(entry.ToJsonString());
    }

    /// <summary>A kingpin parse error: "trufflehog: error: …, try --help", exit 1.</summary>
    private static int Error(string message)
    {
        Console.Error.WriteLine($"trufflehog: error: {message}, try --help");
        return 1;
    }

    /// <summary>A run-time error: logged, exit 1.</summary>
    private static int Fail(ParsedArgs a, string message)
    {
        Log(a, "error", message);
        return 1;
    }

    [GeneratedRegex(@"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")]
    private static partial Regex HunkStart();
}
