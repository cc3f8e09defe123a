using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Vteam.Build.Engine;

namespace Vteam.Build.Tools;

/// <summary>
/// Downloads a pinned tool release, verifies its sha256 before anything is unpacked, and installs it
/// atomically under <c>&lt;cache&gt;/&lt;tool&gt;/&lt;version&gt;/</c> (a staging folder renamed into place).
/// </summary>
public sealed class ToolProvisioner(HttpClient http, AbsolutePath cacheRoot, string? mirrorBaseUrl = null, TimeSpan? retryDelay = null)
{
    private const int Attempts = 3;
    private readonly TimeSpan _retryDelay = retryDelay ?? TimeSpan.FromSeconds(1);

    public AbsolutePath CacheRoot { get; } = cacheRoot;

    public AbsolutePath InstallDirectory(ToolDefinition tool) => CacheRoot / tool.Name / tool.Version;

    /// <summary>Where a release file is fetched from: the mirror (air-gapped runs) or the tool's release URL.</summary>
    public string UrlFor(ToolDefinition tool, string file)
        => mirrorBaseUrl is { Length: > 0 } mirror
            ? $"{mirror.TrimEnd('/')}/{tool.Name}/{tool.Version}/{file}"
            : tool.Expand(tool.DownloadUrl, file);

    public async Task<string> InstallAsync(ToolDefinition tool, string platform, CancellationToken cancellation)
    {
        var package = tool.PackageFor(platform)
            ?? throw new ToolFailedException($"{tool.Name} {tool.Version} has no release for platform {platform} in build/tools.json. Add one, or install {tool.Name} yourself and pass its path.");
        var file = tool.Expand(package.File);
        var url = UrlFor(tool, file);
        var toolRoot = (CacheRoot / tool.Name).CreateDirectory();
        var download = toolRoot / $".download-{Guid.NewGuid():N}";
        var staging = toolRoot / $".staging-{Guid.NewGuid():N}";
        try
        {
            var expected = package.Sha256 is { Length: > 0 } pinned
                ? pinned.ToLowerInvariant()
                : await ChecksumFromReleaseAsync(tool, file, cancellation);
            await DownloadAsync(url, download, cancellation);
            var actual = await Sha256Async(download, cancellation);
            if (actual != expected)
                throw new ToolFailedException(
                    $"{tool.Name} {tool.Version}: the download {url} has sha256 {actual}, but {expected} was expected. " +
                    "It was discarded and nothing was installed. If the release was re-published, check it and update build/tools.json; otherwise suspect the mirror or the network.");

            Directory.CreateDirectory(staging);
            Extract(package, download, staging, tool.ExecutableFileName);
            var executable = Path.Combine(staging, package.PathInArchive ?? tool.ExecutableFileName);
            if (!File.Exists(executable))
                throw new ToolFailedException($"{tool.Name} {tool.Version}: {file} holds no {package.PathInArchive ?? tool.ExecutableFileName}. Set pathInArchive for {platform} in build/tools.json.");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

            var target = InstallDirectory(tool);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(Path.Combine(target, package.PathInArchive ?? tool.ExecutableFileName)))
            {
                // Another build installed the same version first; theirs is as good as ours.
            }
            return Path.Combine(target, package.PathInArchive ?? tool.ExecutableFileName);
        }
        finally
        {
            if (File.Exists(download)) File.Delete(download);
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private async Task<string> ChecksumFromReleaseAsync(ToolDefinition tool, string file, CancellationToken cancellation)
    {
        if (tool.ChecksumsFile is null)
            throw new ToolFailedException($"{tool.Name} {tool.Version}: build/tools.json pins no sha256 for {file} and names no checksums file. Add the sha256.");
        var url = UrlFor(tool, tool.Expand(tool.ChecksumsFile));
        var text = await WithRetryAsync(url, () => http.GetStringAsync(url, cancellation), cancellation);
        var hash = ParseChecksums(text).GetValueOrDefault(file)
            ?? throw new ToolFailedException($"{tool.Name} {tool.Version}: {url} lists no checksum for {file}.");
        Log.Warning($"{tool.Name} {tool.Version}: build/tools.json pins no sha256 for {file}; verifying against {url} instead. Pin it: \"sha256\": \"{hash}\".");
        return hash;
    }

    /// <summary>Reads goreleaser's checksums file: "&lt;hex&gt;  &lt;file&gt;" per line.</summary>
    public static IReadOnlyDictionary<string, string> ParseChecksums(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Trim().Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ToolCatalog.IsSha256(parts[0]))
                result[parts[1].Trim().TrimStart('*')] = parts[0].ToLowerInvariant();
        }
        return result;
    }

    private async Task DownloadAsync(string url, string path, CancellationToken cancellation)
        => await WithRetryAsync(url, async () =>
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation);
            response.EnsureSuccessStatusCode();
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            await response.Content.CopyToAsync(file, cancellation);
            return true;
        }, cancellation);

    private async Task<T> WithRetryAsync<T>(string url, Func<Task<T>> action, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (HttpRequestException e) when (attempt < Attempts && IsTransient(e))
            {
                var delay = _retryDelay * Math.Pow(2, attempt - 1);
                Log.Verbose($"GET {url} failed ({e.Message}); retry {attempt}/{Attempts - 1} in {delay.TotalSeconds:0.#}s");
                await Task.Delay(delay, cancellation);
            }
            catch (HttpRequestException e)
            {
                throw new ToolFailedException($"GET {url} failed: {e.Message}. Check the network or the mirror (--tool-mirror), or install the tool yourself.", e);
            }
        }
    }

    private static bool IsTransient(HttpRequestException e)
        => e.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;

    private static async Task<string> Sha256Async(string path, CancellationToken cancellation)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellation));
    }

    private static void Extract(ToolPackage package, string archive, string destination, string executableName)
    {
        switch (package.Format)
        {
            case "binary":
                File.Copy(archive, Path.Combine(destination, package.PathInArchive ?? executableName));
                break;
            case "zip":
                ZipFile.ExtractToDirectory(archive, destination);
                break;
            default:
                using (var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
                    TarFile.ExtractToDirectory(gzip, destination, overwriteFiles: false);
                break;
        }
    }
}
