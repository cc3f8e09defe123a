using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Vteam.Build.Tests.Release;

/// <summary>One request the stand-in answered: what was asked, and the status it got.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, int Status)
{
    public bool ChangesSomething => Method is not ("GET" or "HEAD");
    public string? AssetName => Path.StartsWith("/api/uploads/", StringComparison.Ordinal) ? System.Web.HttpUtility.ParseQueryString(Query)["name"] : null;
    public override string ToString() => $"{Method} {Path}{Query} -> {Status}";
}

/// <summary>A fault to answer instead of the real thing; with <see cref="AfterHandling"/> the request is carried out first and its answer lost.</summary>
internal sealed record Fault(int Status, string Message, IReadOnlyDictionary<string, string>? Headers = null, bool AfterHandling = false);

/// <summary>
/// A strict in-memory stand-in for the GitHub REST API as GitHub Enterprise Server lays it out
/// (API under /api/v3/, uploads under /api/uploads/) on 127.0.0.1, with the behaviour the release
/// code relies on: drafts are not served by tag, asset names are unique per release (422
/// already_exists), assets carry a sha256 digest (switchable off, like older servers), list endpoints
/// paginate with Link headers, and a wrong token gets 401 "Bad credentials". Every request is recorded.
/// </summary>
internal sealed class StandInGitHub : IAsyncDisposable
{
    public const string Owner = "ambient-code";
    public const string Repo = "vteam";
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<StandInRelease> _releases = [];
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private long _nextReleaseId = 100;
    // Above int.MaxValue, as GitHub's ids will be: proves nothing truncates them.
    private long _nextAssetId = 3_000_000_000;

    private StandInGitHub(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    public string Token { get; }
    public Uri BaseUrl { get; private set; } = null!;
    public Uri ApiUrl => new(BaseUrl, "api/v3/");
    public bool ReportDigests { get; set; } = true;
    /// <summary>Consulted for every request before it is handled; a non-null fault is answered instead.</summary>
    public Func<RecordedRequest, int, Fault?>? Faults { get; set; }
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();
    public int UploadAttempts { get; private set; }

    public static async Task<StandInGitHub> StartAsync(string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new StandInGitHub(app, token);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    public void ClearLog()
    {
        while (_requests.TryDequeue(out _)) { }
    }

    public IReadOnlyList<StandInRelease> Releases
    {
        get { lock (_lock) return _releases.ToArray(); }
    }

    public StandInRelease SingleRelease() => Assert.Single(Releases);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request);
        var seen = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", 0);
        if (seen.AssetName is not null) UploadAttempts++;

        var fault = Faults?.Invoke(seen, UploadAttempts);
        Answer answer;
        if (fault is { AfterHandling: false })
            answer = FaultAnswer(fault);
        else
        {
            // The scheme is case-insensitive (Octokit sends "Token"); GitHub takes token and Bearer.
            var authorization = request.Headers.Authorization.ToString().Split(' ', 2);
            answer = authorization is [var scheme, var credential] && scheme.ToLowerInvariant() is "token" or "bearer" && credential == Token
                ? Route(request, body)
                : Error(401, "Bad credentials");
            if (fault is not null) answer = FaultAnswer(fault);
        }

        _requests.Enqueue(seen with { Status = answer.Status });
        context.Response.StatusCode = answer.Status;
        foreach (var (key, value) in answer.Headers) context.Response.Headers[key] = value;
        if (answer.Bytes is { } bytes)
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(bytes);
        }
        else if (answer.Json is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(answer.Json));
        }
    }

    private Answer Route(HttpRequest request, byte[] body)
    {
        var path = request.Path.Value ?? "";
        var api = $"/api/v3/repos/{Owner}/{Repo}/releases";
        var uploads = $"/api/uploads/repos/{Owner}/{Repo}/releases/";
        lock (_lock)
        {
            var method = request.Method;
            if (path.StartsWith(uploads, StringComparison.Ordinal) && path.EndsWith("/assets", StringComparison.Ordinal) && method == "POST")
                return Upload(request, path[uploads.Length..^"/assets".Length], body);
            if (!path.StartsWith(api, StringComparison.Ordinal))
                return Error(404, "Not Found");

            var rest = path[api.Length..].Trim('/');
            var parts = rest.Length == 0 ? [] : rest.Split('/');
            switch (parts)
            {
                case [] when method == "GET":
                    return Page(request, _releases.OrderByDescending(r => r.Id).Select(ReleaseJson).ToList());
                case [] when method == "POST":
                    return Create(body);
                case ["tags", var tag] when method == "GET":
                    var published = _releases.FirstOrDefault(r => !r.Draft && r.Tag == Uri.UnescapeDataString(tag));
                    return published is null ? Error(404, "Not Found") : Json(200, ReleaseJson(published));
                case ["assets", var id] when method == "GET":
                    return FindAsset(id) is { } found
                        ? request.Headers.Accept.ToString().Contains("application/octet-stream")
                            ? new Answer(200, null, found.Asset.Content)
                            : Json(200, AssetJson(found.Asset))
                        : Error(404, "Not Found");
                case ["assets", var id] when method == "DELETE":
                    if (FindAsset(id) is not { } doomed) return Error(404, "Not Found");
                    if (doomed.Release.Immutable && !doomed.Release.Draft) return Error(422, "Cannot delete assets of an immutable release.");
                    doomed.Release.Assets.Remove(doomed.Asset);
                    return new Answer(204, null);
                case [var id] when method == "GET":
                    return FindRelease(id) is { } one ? Json(200, ReleaseJson(one)) : Error(404, "Not Found");
                case [var id] when method == "PATCH":
                    return FindRelease(id) is { } edited ? Edit(edited, body) : Error(404, "Not Found");
                case [var id, "assets"] when method == "GET":
                    return FindRelease(id) is { } owner ? Page(request, owner.Assets.OrderBy(a => a.Id).Select(AssetJson).ToList()) : Error(404, "Not Found");
                case [_, "assets"] when method == "POST":
                    // Uploads go to the host in upload_url, not to the API.
                    return Error(404, "Not Found");
                default:
                    return Error(404, "Not Found");
            }
        }
    }

    private Answer Create(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var tag = root.GetProperty("tag_name").GetString()!;
        var draft = root.TryGetProperty("draft", out var d) && d.GetBoolean();
        if (!draft && _releases.Any(r => !r.Draft && r.Tag == tag))
            return Validation("Release", "already_exists", "tag_name");
        var release = new StandInRelease
        {
            Id = _nextReleaseId++,
            Tag = tag,
            Name = String(root, "name"),
            Body = String(root, "body"),
            Draft = draft,
            Prerelease = root.TryGetProperty("prerelease", out var p) && p.GetBoolean(),
            TargetCommitish = String(root, "target_commitish") ?? "main",
        };
        _releases.Add(release);
        return Json(201, ReleaseJson(release));
    }

    private Answer Edit(StandInRelease release, byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String) release.Body = b.GetString();
        if (root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) release.Name = n.GetString();
        if (root.TryGetProperty("draft", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            if (!d.GetBoolean() && release.Draft && _releases.Any(r => r != release && !r.Draft && r.Tag == release.Tag))
                return Validation("Release", "already_exists", "tag_name");
            release.Draft = d.GetBoolean();
        }
        return Json(200, ReleaseJson(release));
    }

    private Answer Upload(HttpRequest request, string releaseId, byte[] body)
    {
        if (FindRelease(releaseId) is not { } release) return Error(404, "Not Found");
        var name = request.Query["name"].ToString();
        if (string.IsNullOrEmpty(name)) return Error(422, "Validation Failed");
        if (string.IsNullOrEmpty(request.ContentType)) return Error(422, "Content-Type header is required");
        if (release.Immutable && !release.Draft) return Error(422, "Cannot upload assets to an immutable release.");
        if (release.Assets.Any(a => a.Name == name))
            return Validation("ReleaseAsset", "already_exists", "name");
        var asset = new StandInAsset { Id = _nextAssetId++, Name = name, Content = body, ContentType = request.ContentType };
        release.Assets.Add(asset);
        return Json(201, AssetJson(asset));
    }

    private Answer Page(HttpRequest request, List<Dictionary<string, object?>> items)
    {
        var perPage = Math.Clamp(int.TryParse(request.Query["per_page"], out var pp) ? pp : 30, 1, 100);
        var page = Math.Max(1, int.TryParse(request.Query["page"], out var pg) ? pg : 1);
        var slice = items.Skip((page - 1) * perPage).Take(perPage).ToList();
        var answer = Json(200, slice);
        if (page * perPage < items.Count)
            answer.Headers["Link"] = $"<{BaseUrl.ToString().TrimEnd('/')}{request.Path}?per_page={perPage}&page={page + 1}>; rel=\"next\"";
        return answer;
    }

    private StandInRelease? FindRelease(string id)
        => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? _releases.FirstOrDefault(r => r.Id == value) : null;

    private (StandInRelease Release, StandInAsset Asset)? FindAsset(string id)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
        foreach (var release in _releases)
            if (release.Assets.FirstOrDefault(a => a.Id == value) is { } asset) return (release, asset);
        return null;
    }

    private Dictionary<string, object?> ReleaseJson(StandInRelease release)
    {
        var api = $"{BaseUrl}api/v3/repos/{Owner}/{Repo}/releases/{release.Id}";
        return new()
        {
            ["url"] = api,
            ["assets_url"] = api + "/assets",
            ["upload_url"] = $"{BaseUrl}api/uploads/repos/{Owner}/{Repo}/releases/{release.Id}/assets{{?name,label}}",
            ["html_url"] = $"{BaseUrl}{Owner}/{Repo}/releases/tag/{release.Tag}",
            ["id"] = release.Id,
            ["node_id"] = $"RE_{release.Id}",
            ["tag_name"] = release.Tag,
            ["target_commitish"] = release.TargetCommitish,
            ["name"] = release.Name,
            ["draft"] = release.Draft,
            ["prerelease"] = release.Prerelease,
            ["created_at"] = "2026-12-04T20:00:00Z",
            ["published_at"] = release.Draft ? null : "2026-12-04T20:05:00Z",
            ["body"] = release.Body,
            ["immutable"] = release.Immutable,
            ["assets"] = release.Assets.OrderBy(a => a.Id).Select(AssetJson).ToList(),
        };
    }

    private Dictionary<string, object?> AssetJson(StandInAsset asset)
    {
        var json = new Dictionary<string, object?>
        {
            ["url"] = $"{BaseUrl}api/v3/repos/{Owner}/{Repo}/releases/assets/{asset.Id}",
            ["browser_download_url"] = $"{BaseUrl}{Owner}/{Repo}/releases/download/x/{asset.Name}",
            ["id"] = asset.Id,
            ["node_id"] = $"RA_{asset.Id}",
            ["name"] = asset.Name,
            ["label"] = "",
            ["state"] = asset.State,
            ["content_type"] = asset.ContentType,
            ["size"] = asset.Content.LongLength,
            ["download_count"] = 0,
            ["created_at"] = "2026-12-04T20:01:00Z",
            ["updated_at"] = "2026-12-04T20:01:00Z",
        };
        if (ReportDigests) json["digest"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(asset.Content));
        return json;
    }

    private static Answer FaultAnswer(Fault fault)
    {
        var answer = Error(fault.Status, fault.Message);
        foreach (var (key, value) in fault.Headers ?? new Dictionary<string, string>()) answer.Headers[key] = value;
        return answer;
    }

    private static Answer Json(int status, object json) => new(status, json);

    private static Answer Error(int status, string message)
        => new(status, new Dictionary<string, object?> { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest", ["status"] = status.ToString(CultureInfo.InvariantCulture) });

    private static Answer Validation(string resource, string code, string field)
        => new(422, new Dictionary<string, object?>
        {
            ["message"] = "Validation Failed",
            ["errors"] = new[] { new Dictionary<string, string> { ["resource"] = resource, ["code"] = code, ["field"] = field } },
            ["documentation_url"] = "https://docs.github.com/rest",
            ["status"] = "422",
        });

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private sealed record Answer(int Status, object? Json, byte[]? Bytes = null)
    {
        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}

internal sealed class StandInRelease
{
    public long Id { get; init; }
    public string Tag { get; init; } = "";
    public string? Name { get; set; }
    public string? Body { get; set; }
    public bool Draft { get; set; }
    public bool Immutable { get; set; }
    public bool Prerelease { get; init; }
    public string TargetCommitish { get; init; } = "main";
    public List<StandInAsset> Assets { get; } = [];
}

internal sealed class StandInAsset
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public byte[] Content { get; init; } = [];
    public string ContentType { get; init; } = "";
    public string State { get; set; } = "uploaded";
}
