using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeTools;

/// <summary>
/// syft 1.51 as the build sees it (tool-contracts.md §2, §6): `syft version`, `syft scan SOURCE -o FORMAT[@V][=FILE]`.
/// Writes SPDX 2.3 JSON in syft's shape (from samples/syft) describing the requested digest. Strict: bare
/// `unknown flag: --x`; a registry source must be repo@sha256 (the build never catalogs a tag).
/// Env: FAKE_SYFT_MODE = crash | hang | fail (error after truncating the outputs) | empty (exit 0, empty file) |
/// garbage | wrong-digest | spdx22 | no-describes; FAKE_SYFT_VERSION; FAKE_SYFT_SKIP_REGISTRY=1 (do not ask the registry).
/// </summary>
public static class SyftFake
{
    private static readonly string[] FormatIds =
        ["syft-table", "table", "syft-text", "text", "syft-json", "json", "spdx-json", "spdx-tag-value", "spdx", "spdx-tv",
         "cyclonedx-json", "cyclonedx-xml", "cyclonedx", "github-json", "github", "purls", "template"];

    private static readonly FlagDef[] GlobalFlags =
    [
        new("config", 'c'), new("quiet", 'q', true), new("verbose", 'v', true), new("help", 'h', true),
    ];

    private static readonly FlagDef[] ScanFlags =
    [
        .. GlobalFlags,
        new("output", 'o'), new("file"), new("template", 't'), new("scope", 's'), new("platform"), new("exclude"), new("from"),
        new("source-name"), new("source-version"), new("source-supplier"), new("base-path"), new("parallelism"), new("enrich"),
        new("select-catalogers"), new("override-default-catalogers"),
    ];

    public static int Run(string[] args)
    {
        var modes = new Modes("syft");
        var version = Environment.GetEnvironmentVariable("FAKE_SYFT_VERSION") ?? "1.51.0";
        if (args.Length == 0) return Error("an image/directory argument is required");
        switch (args[0])
        {
            case "version":
                Console.Out.WriteLine($"Application:   syft\nVersion:       {version}\nBuildDate:     2026-08-21T00:00:00Z\nGitCommit:     bf82010f3c38508e30dd01ed8053f158513c0c9d\nGitDescription: v{version}\nPlatform:      linux/amd64\nGoVersion:     go1.25.0\nCompiler:      gc\nSchemaVersion: 16.1.0");
                return 0;
            case "scan":
                return modes.Misbehave("syft") ?? Scan(args[1..], modes, version);
            case "packages":
                Console.Error.WriteLine("Command \"packages\" is deprecated, use `syft scan` instead");
                return modes.Misbehave("syft") ?? Scan(args[1..], modes, version);
            case var other when other.StartsWith('-'):
                return Error($"unknown flag: {other.Split('=')[0]}");
            default:
                return modes.Misbehave("syft") ?? Scan(args, modes, version);
        }
    }

    private static int Scan(string[] args, Modes modes, string version)
    {
        var a = FlagParser.Cobra(args, ScanFlags);
        if (a.Error is not null) return Error(a.Error);
        if (a.Positionals.Count != 1) return Error($"an image/directory argument is required (got {a.Positionals.Count})");

        var outputs = new List<(string Format, string? Version, string? File)>();
        foreach (var value in a.All("output").DefaultIfEmpty("syft-table"))
        {
            var eq = value.IndexOf('=');
            var spec = eq >= 0 ? value[..eq] : value;
            var file = eq >= 0 ? value[(eq + 1)..] : null;
            var at = spec.IndexOf('@');
            var id = at >= 0 ? spec[..at] : spec;
            var formatVersion = at >= 0 ? spec[(at + 1)..] : null;
            if (!FormatIds.Contains(id)) return Error($"bad --output value '{value}': unsupported output format \"{id}\", supported formats are: [{string.Join(" ", FormatIds)}]");
            if (id == "spdx-json" && formatVersion is not (null or "2.2" or "2.3" or "3.0"))
                return Error($"bad --output value '{value}': unsupported output format \"{spec}\"");
            outputs.Add((id, formatVersion, file));
        }
        // §6: syft creates and truncates every output file before it resolves the source.
        foreach (var (_, _, file) in outputs)
            if (file is not null)
            {
                if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir && !Directory.Exists(dir))
                    return Error($"unable to create report file: open {file}: no such file or directory");
                File.WriteAllText(file, "");
            }

        var source = a.Positionals[0];
        if (modes.Has("fail")) return Error($"could not determine source: errors occurred attempting to resolve '{source}':\n  - registry: unable to load image: GET: connection refused");
        if (modes.Has("empty")) return 0;

        string name, digest;
        if (source.StartsWith("registry:", StringComparison.Ordinal))
        {
            var text = source["registry:".Length..];
            if (RegistryProbe.Parse(text) is not { } reference) return Error($"could not determine source: unable to parse registry reference=\"{text}\"");
            if (reference.Digest is null)
                return Error($"fake syft: the registry source '{text}' names a tag, which can move; the build must catalog repository@sha256:<digest>");
            name = reference.Name;
            digest = reference.Digest;
            if (Environment.GetEnvironmentVariable("FAKE_SYFT_SKIP_REGISTRY") != "1")
            {
                if (RegistryProbe.Resolve(reference, out var resolved) is { } error)
                    return Error($"could not determine source: errors occurred attempting to resolve '{text}':\n  - registry: unable to load image: {error}");
                if (resolved != digest) return Error($"fake syft: the registry answered {resolved} for {text}");
            }
        }
        else if (source.StartsWith("docker-archive:", StringComparison.Ordinal))
        {
            var path = source["docker-archive:".Length..];
            if (ArchiveDigest(path) is not { } archive) return Error($"could not determine source: unable to open docker-archive: {path}");
            name = archive.Name;
            digest = archive.Digest;
        }
        else return Error($"fake syft: only registry: and docker-archive: sources are modelled (got '{source}')");

        if (modes.Has("wrong-digest")) digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digest)));
        var document = Spdx(name, digest, version, modes);
        foreach (var (format, formatVersion, file) in outputs)
        {
            var text = format == "spdx-json"
                ? (modes.Has("garbage") ? "{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [" : document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))
                : $"NAME  VERSION  TYPE\npackage-1  1.0.1  python\n";
            if (format == "spdx-json" && formatVersion == "3.0") text = "{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":[]}";
            if (file is null) Console.Out.Write(text);
            else File.WriteAllText(file, text);
        }
        return 0;
    }

    private static JsonObject Spdx(string name, string digest, string version, Modes modes)
    {
        var document = Samples.ReadJson("syft/TestSPDXJSONImageEncoder.spdx.json.golden").AsObject();
        var hex = digest["sha256:".Length..];
        var rootId = "SPDXRef-DocumentRoot-Image-" + new string(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray());
        if (modes.Has("spdx22")) document["spdxVersion"] = "SPDX-2.2";
        document["name"] = name;
        document["documentNamespace"] = $"https://anchore.com/syft/image/{name.Replace('/', '-')}-{Guid.NewGuid()}";
        document["creationInfo"] = new JsonObject
        {
            ["licenseListVersion"] = "3.27",
            ["creators"] = new JsonArray("Organization: Anchore, Inc", $"Tool: syft-{version}"),
            ["created"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        };
        var packages = document["packages"]!.AsArray();
        var root = packages.OfType<JsonObject>().Single(p => p["primaryPackagePurpose"]?.GetValue<string>() == "CONTAINER");
        var oldRootId = root["SPDXID"]!.GetValue<string>();
        root["name"] = name;
        root["SPDXID"] = rootId;
        root["versionInfo"] = digest;
        root["checksums"] = new JsonArray(new JsonObject { ["algorithm"] = "SHA256", ["checksumValue"] = hex });
        root["externalRefs"] = new JsonArray(new JsonObject
        {
            ["referenceCategory"] = "PACKAGE-MANAGER",
            ["referenceType"] = "purl",
            ["referenceLocator"] = $"pkg:oci/{Uri.EscapeDataString(name.Split('/')[^1])}@sha256%3A{hex}?arch=amd64&repository_url={Uri.EscapeDataString(name)}",
        });
        var relationships = document["relationships"]!.AsArray();
        foreach (var relationship in relationships.OfType<JsonObject>())
        {
            if (relationship["spdxElementId"]?.GetValue<string>() == oldRootId) relationship["spdxElementId"] = rootId;
            if (relationship["relatedSpdxElement"]?.GetValue<string>() == oldRootId) relationship["relatedSpdxElement"] = rootId;
        }
        if (modes.Has("no-describes"))
            foreach (var describes in relationships.OfType<JsonObject>().Where(r => r["relationshipType"]?.GetValue<string>() == "DESCRIBES").ToList())
                relationships.Remove(describes);
        return document;
    }

    /// <summary>The repository name and a digest of a docker save tarball (of its manifest.json, as the archive has no registry digest).</summary>
    private static (string Name, string Digest)? ArchiveDigest(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = File.OpenRead(path);
            using var tar = new TarReader(stream);
            while (tar.GetNextEntry() is { } entry)
                if (entry.Name == "manifest.json" && entry.DataStream is { } data)
                {
                    using var memory = new MemoryStream();
                    data.CopyTo(memory);
                    var manifest = JsonNode.Parse(memory.ToArray())!.AsArray()[0]!;
                    var tag = manifest["RepoTags"]?.AsArray().FirstOrDefault()?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(path);
                    var colon = tag.LastIndexOf(':');
                    var name = colon > tag.LastIndexOf('/') ? tag[..colon] : tag;
                    return (name, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(memory.ToArray())));
                }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or NullReferenceException)
        {
            return null;
        }
        return null;
    }

    /// <summary>syft prints the bare error (no "Error:" prefix for flag errors, §6) and exits 1.</summary>
    private static int Error(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
