using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FakeTools;

/// <summary>
/// trivy 0.74 as the build sees it (tool-contracts.md §1). Env: FAKE_TRIVY_MODE = clean (default, no
/// Results) | os-clean | critical | high=N | medium=N | low=N | unknown=N | unfixed | secret | garbage |
/// crash | hang; FAKE_TRIVY_MATCH = only targets containing this get the planted findings;
/// FAKE_TRIVY_VERSION; FAKE_TRIVY_NO_NETWORK=1 (the DB cannot be downloaded).
/// </summary>
public static partial class TrivyFake
{
    private const string DefaultDbRepository = "mirror.gcr.io/aquasec/trivy-db:2";
    private static readonly string[] SeverityNames = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
    private static readonly string[] Formats = ["table", "json", "template", "sarif", "cyclonedx", "spdx", "spdx-json", "github", "cosign-vuln"];

    private static readonly FlagDef[] GlobalFlags =
    [
        new("cache-dir"), new("quiet", 'q', true), new("debug", 'd', true), new("timeout"), new("config", 'c'),
        new("insecure", null, true), new("cacert"), new("generate-default-config", null, true), new("no-color", null, true),
    ];

    private static readonly FlagDef[] ReportFlags =
    [
        new("format", 'f'), new("report"), new("template", 't'), new("dependency-tree", null, true), new("list-all-pkgs", null, true),
        new("ignorefile"), new("ignore-policy"), new("exit-code"), new("exit-on-eol"), new("output", 'o'), new("output-plugin-arg"),
        new("severity", 's'), new("compliance"), new("show-suppressed", null, true), new("table-mode"),
    ];

    private static readonly FlagDef[] ImageFlags =
    [
        .. GlobalFlags, .. ReportFlags,
        new("input"), new("image-src"), new("platform"), new("docker-host"), new("podman-host"), new("max-image-size"), new("removed-pkgs", null, true),
        new("scanners"), new("image-config-scanners"), new("ignore-unfixed", null, true), new("ignore-status"), new("pkg-types"), new("pkg-relationships"),
        new("skip-db-update", null, true), new("skip-update", null, true), new("skip-java-db-update", null, true), new("skip-check-update", null, true),
        new("download-db-only", null, true), new("download-java-db-only", null, true), new("db-repository"), new("java-db-repository"), new("checks-bundle-repository"),
        new("offline-scan", null, true), new("no-progress", null, true), new("skip-version-check", null, true), new("disable-telemetry", null, true),
        new("username"), new("password"), new("password-stdin", null, true), new("registry-token"), new("parallel"), new("skip-dirs"), new("skip-files"),
        new("file-patterns"), new("vex"), new("skip-vex-repo-update", null, true), new("detection-priority"), new("distro"), new("sbom-sources"), new("rekor-url"),
        new("secret-config"), new("license-full", null, true), new("license-confidence-level"), new("ignored-licenses"), new("cache-backend"), new("cache-ttl"),
        new("redis-ca"), new("redis-cert"), new("redis-key"), new("redis-tls", null, true), new("server"), new("token"), new("token-header"), new("custom-headers"),
    ];

    private static readonly FlagDef[] ConvertFlags = [.. GlobalFlags, .. ReportFlags];

    public static int Run(string[] args)
    {
        var modes = new Modes("trivy");
        if (args.Length > 0 && args[0] is "--version" or "-v" or "version")
        {
            var parsed = FlagParser.Cobra(args.Skip(1).ToList(), [.. GlobalFlags, new("format", 'f')]);
            if (parsed.Error is not null) return Fatal(parsed.Error, "trivy [global flags] command [flags] target");
            var version = Environment.GetEnvironmentVariable("FAKE_TRIVY_VERSION") ?? "0.74.0";
            Console.Out.WriteLine(parsed.Get("format") == "json" ? JsonSerializer.Serialize(new { Version = version }) : $"Version: {version}");
            return 0;
        }
        if (args.Length == 0) { Console.Out.WriteLine(Usage("trivy [global flags] command [flags] target")); return 0; }
        return args[0] switch
        {
            "image" or "i" => modes.Misbehave("trivy") ?? Image(args[1..], modes),
            "convert" or "conv" => Convert(args[1..]),
            var other when other.StartsWith('-') => Fatal($"unknown flag: {other.Split('=')[0]}", "trivy [global flags] command [flags] target"),
            var other => Fatal($"unknown command \"{other}\" for \"trivy\"", "trivy [global flags] command [flags] target"),
        };
    }

    private static int Image(string[] args, Modes modes)
    {
        const string usage = "trivy image [flags] IMAGE_NAME";
        var a = FlagParser.Cobra(args, ImageFlags);
        if (a.Error is not null) return Fatal(a.Error, usage);
        if (CheckReportFlags(a) is { } reportError) return Fatal(reportError);

        // Real trivy silently scans --input when both are given; the build must never pass both.
        if (a.Has("input") && a.Positionals.Count > 0)
            return Fatal($"fake trivy: both an image name ({a.Positionals[0]}) and --input ({a.Get("input")}) given; real trivy would silently scan --input only");
        if (!a.Has("input") && a.Positionals.Count == 0) return Fatal("\"trivy image\" requires at least 1 arg(s), only received 0", usage);
        if (a.Positionals.Count > 1) return Fatal($"accepts 1 arg(s), received {a.Positionals.Count}", usage);
        if (a.Get("scanners") is { } scanners && scanners.Split(',').FirstOrDefault(s => s is not ("vuln" or "misconfig" or "secret" or "license")) is { } badScanner)
            return Fatal($"flag error: scan flag error: unknown scanner: {badScanner}");
        if (a.Get("timeout") is { } timeout && !GoDuration().IsMatch(timeout))
            return Fatal($"invalid argument \"{timeout}\" for \"--timeout\" flag: time: invalid duration \"{timeout}\"");

        var cacheDir = a.Get("cache-dir") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "trivy");
        if (Database(a, cacheDir) is { } dbError) return Fatal(dbError);

        Log("INFO", "Vulnerability scanning is enabled");
        JsonObject report;
        string artifactName;
        if (a.Get("input") is { } input)
        {
            if (ReadArchive(input) is not (var imageId, var repoTags)) return Fatal($"image scan error: scan error: unable to initialize a scan service: unable to initialize an image artifact: unable to open {input} as a Docker image archive or OCI layout");
            artifactName = input;
            report = BaseReport(artifactName, imageId, repoTags, []);
        }
        else
        {
            var reference = a.Positionals[0];
            if (RegistryProbe.Parse(reference) is not { } parsed) return Fatal($"image scan error: scan error: unable to initialize a scan service: could not parse reference: {reference}");
            // As trivy's remote source: the registry is asked for the manifest, with TRIVY_USERNAME/TRIVY_PASSWORD when given.
            if (RegistryProbe.Resolve(parsed, out var digest, Environment.GetEnvironmentVariable("TRIVY_USERNAME"), Environment.GetEnvironmentVariable("TRIVY_PASSWORD")) is { } remoteError)
                return Fatal($"image scan error: scan error: unable to initialize a scan service: unable to initialize an image artifact: unable to find the specified image \"{reference}\" in [\"docker\" \"containerd\" \"podman\" \"remote\"]: remote error: {remoteError}");
            artifactName = reference;
            report = BaseReport(artifactName, digest, [], [$"{parsed.Name}@{digest}"]);
        }

        var match = Environment.GetEnvironmentVariable("FAKE_TRIVY_MATCH");
        var plant = string.IsNullOrEmpty(match) || artifactName.Contains(match, StringComparison.Ordinal);
        var results = plant ? Plant(modes, artifactName) : [];
        if (results.Count > 0 || (plant && modes.Has("os-clean"))) report["Results"] = results;
        else report.Remove("Results");

        Filter(report, a);
        if (plant && modes.Has("garbage"))
            return WriteOutput(a, "<html><body>502 Bad Gateway</body></html>\n{\"SchemaVersion\":") ?? 0;
        return Emit(report, a);
    }

    private static int Convert(string[] args)
    {
        const string usage = "trivy convert [flags] RESULT_JSON";
        var a = FlagParser.Cobra(args, ConvertFlags);
        if (a.Error is not null) return Fatal(a.Error, usage);
        if (CheckReportFlags(a) is { } reportError) return Fatal(reportError);
        if (a.Positionals.Count != 1) return Fatal($"accepts 1 arg(s), received {a.Positionals.Count}", usage);
        var path = a.Positionals[0];
        if (!File.Exists(path)) return Fatal($"failed to open the result file: open {path}: no such file or directory");
        JsonObject report;
        try
        {
            report = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        }
        catch (JsonException e)
        {
            return Fatal($"failed to decode the result file: {e.Message}");
        }
        Filter(report, a);
        return Emit(report, a);
    }

    private static string? CheckReportFlags(ParsedArgs a)
    {
        if (a.Get("format") is { } format && !Formats.Contains(format)) return $"flag error: report flag error: unknown format: {format}";
        foreach (var severity in (a.Get("severity") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (!SeverityNames.Contains(severity, StringComparer.Ordinal))
                return $"flag error: report flag error: unknown severity option: unknown severity: {severity}";
        if (a.Get("exit-code") is { } code && !int.TryParse(code, out _)) return $"invalid argument \"{code}\" for \"--exit-code\" flag: strconv.ParseInt: parsing \"{code}\": invalid syntax";
        if (a.Get("ignorefile") is { } ignore && !File.Exists(ignore)) return $"flag error: report flag error: ignore file not found: {ignore}";
        if (a.Get("output") is { } output && Path.GetDirectoryName(Path.GetFullPath(output)) is { } dir && !Directory.Exists(dir))
            return $"failed to create an output file: open {output}: no such file or directory";
        return null;
    }

    private static string? Database(ParsedArgs a, string cacheDir)
    {
        var db = Path.Combine(cacheDir, "db", "trivy.db");
        var skip = a.Flag("skip-db-update") || a.Flag("skip-update");
        if (skip)
            return File.Exists(db) ? null : "init error: DB error: failed to download vulnerability DB: --skip-db-update cannot be specified on the first run";
        var repository = a.Get("db-repository") ?? DefaultDbRepository;
        Log("INFO", $"Downloading vulnerability DB...\trepository=\"{repository}\"");
        if (Environment.GetEnvironmentVariable("FAKE_TRIVY_NO_NETWORK") == "1")
            return $"init error: DB error: failed to download vulnerability DB: OCI artifact error: failed to download vulnerability DB: GET https://{repository.Split('/')[0]}/v2/: dial tcp: lookup {repository.Split('/')[0]}: no such host";
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        File.WriteAllText(db, "fake trivy db\n");
        File.WriteAllText(Path.Combine(cacheDir, "db", "metadata.json"), JsonSerializer.Serialize(new { Version = 2, UpdatedAt = DateTimeOffset.UtcNow, Repository = repository }));
        return null;
    }

    /// <summary>A docker save tarball (manifest.json) or an OCI archive (index.json), gzipped or not.</summary>
    private static (string ImageId, List<string> RepoTags)? ReadArchive(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = File.OpenRead(path);
            Stream stream = file;
            var magic = new byte[2];
            if (file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) { file.Position = 0; stream = new GZipStream(file, CompressionMode.Decompress); }
            else file.Position = 0;
            using var tar = new TarReader(stream);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.Name is "manifest.json" && entry.DataStream is { } data)
                {
                    var manifest = JsonNode.Parse(data)!.AsArray()[0]!;
                    var config = manifest["Config"]!.GetValue<string>();
                    var id = "sha256:" + Path.GetFileNameWithoutExtension(config.Split('/')[^1]);
                    var tags = manifest["RepoTags"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
                    return (id, tags);
                }
                if (entry.Name is "index.json" && entry.DataStream is { } index)
                {
                    var digest = JsonNode.Parse(index)!["manifests"]!.AsArray()[0]!["digest"]!.GetValue<string>();
                    return (digest, []);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or NullReferenceException or FormatException)
        {
            return null;
        }
        return null;
    }

    private static JsonObject BaseReport(string artifactName, string imageId, List<string> repoTags, List<string> repoDigests)
    {
        var report = Samples.ReadJson("trivy/alpine-39-high-critical.json.golden").AsObject();
        report["Trivy"] = new JsonObject { ["Version"] = Environment.GetEnvironmentVariable("FAKE_TRIVY_VERSION") ?? "0.74.0" };
        report["ReportID"] = Guid.NewGuid().ToString();
        report["CreatedAt"] = DateTimeOffset.UtcNow.ToString("O");
        report["ArtifactID"] = imageId;
        report["ArtifactName"] = artifactName;
        var metadata = report["Metadata"]!.AsObject();
        metadata["ImageID"] = imageId;
        metadata["RepoTags"] = new JsonArray(repoTags.Select(t => (JsonNode)t!).ToArray());
        if (repoDigests.Count > 0) metadata["RepoDigests"] = new JsonArray(repoDigests.Select(t => (JsonNode)t!).ToArray());
        metadata["Reference"] = artifactName;
        return report;
    }

    private static JsonArray Plant(Modes modes, string artifactName)
    {
        var sample = Samples.ReadJson("trivy/alpine-39-high-critical.json.golden")["Results"]!.AsArray()[0]!.AsObject();
        var template = sample["Vulnerabilities"]!.AsArray()[0]!;
        var osResult = new JsonObject
        {
            ["Target"] = $"{artifactName} (alpine 3.9.4)",
            ["Class"] = "os-pkgs",
            ["Type"] = "alpine",
        };
        var vulns = new JsonArray();
        if (modes.Has("critical"))
            foreach (var v in sample["Vulnerabilities"]!.AsArray()) vulns.Add(v!.DeepClone());
        var serial = 1000;
        foreach (var severity in SeverityNames)
            for (var i = 0; i < modes.Count(severity.ToLowerInvariant()); i++)
                vulns.Add(Synthesize(template, $"CVE-2099-{serial++}", $"pkg{serial}", severity, fixedVersion: "1.0.1-r0"));
        if (modes.Has("unfixed")) vulns.Add(Synthesize(template, "CVE-2099-9999", "nofix", "HIGH", fixedVersion: null));
        var results = new JsonArray();
        if (vulns.Count > 0) osResult["Vulnerabilities"] = vulns;
        if (vulns.Count > 0 || modes.Has("os-clean")) results.Add(osResult);
        if (modes.Has("secret"))
        {
            var secret = Samples.ReadJson("trivy/secrets.json.golden")["Results"]!.AsArray()[0]!.DeepClone();
            results.Add(secret);
        }
        return results;
    }

    private static JsonNode Synthesize(JsonNode template, string id, string package, string severity, string? fixedVersion)
    {
        var v = template.DeepClone().AsObject();
        v["VulnerabilityID"] = id;
        v["PkgName"] = package;
        v["PkgID"] = $"{package}@1.0.0-r0";
        v["PkgIdentifier"] = new JsonObject { ["PURL"] = $"pkg:apk/alpine/{package}@1.0.0-r0?arch=x86_64", ["UID"] = Guid.NewGuid().ToString("N")[..16] };
        v["InstalledVersion"] = "1.0.0-r0";
        v["Severity"] = severity;
        v["Title"] = $"{package}: planted {severity.ToLowerInvariant()} vulnerability";
        v["PrimaryURL"] = $"https://avd.aquasec.com/nvd/{id.ToLowerInvariant()}";
        if (fixedVersion is null) { v.Remove("FixedVersion"); v["Status"] = "affected"; }
        else { v["FixedVersion"] = fixedVersion; v["Status"] = "fixed"; }
        return v;
    }

    /// <summary>--severity, --ignore-unfixed and --ignorefile, as trivy applies them before writing.</summary>
    private static void Filter(JsonObject report, ParsedArgs a)
    {
        if (report["Results"] is not JsonArray results) return;
        var severities = (a.Get("severity") ?? string.Join(',', SeverityNames)).Split(',').ToHashSet();
        var ignored = a.Get("ignorefile") is { } file ? ActiveIgnores(file) : [];
        foreach (var result in results.OfType<JsonObject>())
        {
            if (result["Vulnerabilities"] is JsonArray vulns)
            {
                var keep = vulns.Where(v =>
                        severities.Contains(v!["Severity"]!.GetValue<string>())
                        && (!a.Flag("ignore-unfixed") || v["Status"]?.GetValue<string>() == "fixed")
                        && !ignored.Contains(v["VulnerabilityID"]!.GetValue<string>()))
                    .Select(v => v!.DeepClone()).ToArray();
                if (keep.Length == 0) result.Remove("Vulnerabilities");
                else result["Vulnerabilities"] = new JsonArray(keep);
            }
            if (result["Secrets"] is JsonArray secrets)
            {
                var keep = secrets.Where(s => severities.Contains(s!["Severity"]!.GetValue<string>())).Select(s => s!.DeepClone()).ToArray();
                if (keep.Length == 0) result.Remove("Secrets");
                else result["Secrets"] = new JsonArray(keep);
            }
        }
    }

    /// <summary>The ids of .trivyignore(.yaml) entries still in force (expired_at not reached).</summary>
    private static HashSet<string> ActiveIgnores(string file)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (!file.EndsWith(".yaml", StringComparison.Ordinal) && !file.EndsWith(".yml", StringComparison.Ordinal))
        {
            foreach (var line in File.ReadAllLines(file))
                if (line.Trim() is { Length: > 0 } id && !id.StartsWith('#')) ids.Add(id.Split(' ')[0]);
            return ids;
        }
        string? current = null;
        var expired = false;
        foreach (var raw in File.ReadAllLines(file).Append("- id: __end__"))
        {
            var line = raw.Trim();
            if (line.StartsWith("- id:", StringComparison.Ordinal))
            {
                if (current is not null && !expired) ids.Add(current);
                current = line[5..].Trim().Trim('"', '\'');
                expired = false;
            }
            else if (line.StartsWith("expired_at:", StringComparison.Ordinal) && DateOnly.TryParse(line[11..].Trim().Trim('"', '\''), out var date))
                expired = today >= date;
        }
        return ids;
    }

    private static int Emit(JsonObject report, ParsedArgs a)
    {
        var format = a.Get("format") ?? "table";
        var text = format switch
        {
            "json" => report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            "sarif" => Sarif(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            _ => Table(report),
        };
        if (WriteOutput(a, text) is { } failed) return failed;
        var found = report["Results"] is JsonArray results && results.OfType<JsonObject>().Any(r => r["Vulnerabilities"] is JsonArray || r["Secrets"] is JsonArray);
        return found && a.Get("exit-code") is { } code ? int.Parse(code) : 0;
    }

    private static int? WriteOutput(ParsedArgs a, string text)
    {
        if (a.Get("output") is { } output) File.WriteAllText(output, text);
        else Console.Out.Write(text);
        return null;
    }

    private static string Table(JsonObject report)
    {
        var builder = new StringBuilder();
        builder.AppendLine($"{report["ArtifactName"]}");
        foreach (var result in (report["Results"] as JsonArray ?? []).OfType<JsonObject>())
        foreach (var v in (result["Vulnerabilities"] as JsonArray ?? []).OfType<JsonObject>())
            builder.AppendLine($"{v["PkgName"]}\t{v["VulnerabilityID"]}\t{v["Severity"]}\t{v["InstalledVersion"]}\t{v["FixedVersion"]}");
        return builder.ToString();
    }

    /// <summary>The SARIF trivy writes (shape of samples/trivy/alpine-310.sarif.golden).</summary>
    private static JsonObject Sarif(JsonObject report)
    {
        var rules = new JsonArray();
        var results = new JsonArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var result in (report["Results"] as JsonArray ?? []).OfType<JsonObject>())
        foreach (var v in (result["Vulnerabilities"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var id = v["VulnerabilityID"]!.GetValue<string>();
            var severity = v["Severity"]!.GetValue<string>();
            var level = severity is "CRITICAL" or "HIGH" ? "error" : severity == "MEDIUM" ? "warning" : "note";
            if (!index.TryGetValue(id, out var ruleIndex))
            {
                index[id] = ruleIndex = rules.Count;
                var title = v["Title"]?.GetValue<string>() ?? id;
                rules.Add(new JsonObject
                {
                    ["id"] = id,
                    ["name"] = result["Class"]?.GetValue<string>() == "lang-pkgs" ? "LanguageSpecificPackageVulnerability" : "OsPackageVulnerability",
                    ["shortDescription"] = new JsonObject { ["text"] = title },
                    ["fullDescription"] = new JsonObject { ["text"] = v["Description"]?.GetValue<string>() ?? title },
                    ["defaultConfiguration"] = new JsonObject { ["level"] = level },
                    ["helpUri"] = v["PrimaryURL"]?.GetValue<string>() ?? "https://avd.aquasec.com/",
                    ["help"] = new JsonObject { ["text"] = $"Vulnerability {id}\nSeverity: {severity}\nPackage: {v["PkgName"]}", ["markdown"] = $"**Vulnerability {id}**" },
                    ["properties"] = new JsonObject
                    {
                        ["precision"] = "very-high",
                        ["security-severity"] = severity switch { "CRITICAL" => "9.5", "HIGH" => "8.0", "MEDIUM" => "5.5", "LOW" => "2.0", _ => "0.0" },
                        ["tags"] = new JsonArray("vulnerability", "security", severity),
                    },
                });
            }
            results.Add(new JsonObject
            {
                ["ruleId"] = id,
                ["ruleIndex"] = ruleIndex,
                ["level"] = level,
                ["message"] = new JsonObject { ["text"] = $"Package: {v["PkgName"]}\nInstalled Version: {v["InstalledVersion"]}\nVulnerability {id}\nSeverity: {severity}\nFixed Version: {v["FixedVersion"]}" },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = report["ArtifactName"]!.GetValue<string>(), ["uriBaseId"] = "ROOTPATH" },
                        ["region"] = new JsonObject { ["startLine"] = 1, ["startColumn"] = 1, ["endLine"] = 1, ["endColumn"] = 1 },
                    },
                    ["message"] = new JsonObject { ["text"] = $"{report["ArtifactName"]}: {v["PkgID"]}" },
                }),
            });
        }
        var metadata = report["Metadata"] as JsonObject;
        return new JsonObject
        {
            ["version"] = "2.1.0",
            ["$schema"] = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["fullName"] = "Trivy Vulnerability Scanner",
                        ["informationUri"] = "https://github.com/aquasecurity/trivy",
                        ["name"] = "Trivy",
                        ["rules"] = rules,
                        ["version"] = report["Trivy"]?["Version"]?.DeepClone(),
                    },
                },
                ["results"] = results,
                ["columnKind"] = "utf16CodeUnits",
                ["originalUriBaseIds"] = new JsonObject { ["ROOTPATH"] = new JsonObject { ["uri"] = "file:///" } },
                ["properties"] = new JsonObject
                {
                    ["imageName"] = report["ArtifactName"]?.DeepClone(),
                    ["imageID"] = metadata?["ImageID"]?.DeepClone(),
                    ["repoDigests"] = metadata?["RepoDigests"]?.DeepClone() ?? new JsonArray(),
                    ["repoTags"] = metadata?["RepoTags"]?.DeepClone() ?? new JsonArray(),
                },
            }),
        };
    }

    private static int Fatal(string message, string? usage = null)
    {
        // Flag errors print the command's usage to stdout, then FATAL on stderr, exit 1 (log.Fatal).
        if (usage is not null) Console.Out.WriteLine(Usage(usage));
        Console.Error.WriteLine($"{Modes.Timestamp()}\tFATAL\tFatal error\t{message}");
        return 1;
    }

    private static void Log(string level, string message) => Console.Error.WriteLine($"{Modes.Timestamp()}\t{level}\t{message}");

    private static string Usage(string line) => $"Usage:\n  {line}\n\nUse \"trivy --help\" for more information.";


    [GeneratedRegex(@"^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$")]
    private static partial Regex GoDuration();
}
