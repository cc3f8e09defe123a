using Octokit;
using Octokit.Internal;
using Vteam.Build.Engine;

namespace Vteam.Build.Release;

/// <summary>
/// <see cref="IReleasePublisher"/> over Octokit, for github.com or a GitHub Enterprise Server API root.
/// Each operation runs under <see cref="GitHubRetryPolicy"/>; failures are turned into our exceptions
/// with messages that say what to do and never carry the token.
/// </summary>
public sealed class OctokitReleasePublisher : IReleasePublisher
{
    private const string JsonMediaType = "application/vnd.github+json";
    private readonly IConnection _connection;
    private readonly ApiConnection _api;
    private readonly GitHubRepositoryName _repository;
    private readonly Uri _apiBaseUrl;
    private readonly string _token;
    private readonly GitHubRetryPolicy _retry;
    private readonly TimeSpan _uploadTimeout;

    /// <param name="apiBaseUrl">The REST root, e.g. https://api.github.com/ or https://ghe.example.com/api/v3/ (see <see cref="GitHubRepositoryName.ApiBaseUrl"/>).</param>
    public OctokitReleasePublisher(GitHubRepositoryName repository, string token, Uri apiBaseUrl, GitHubRetryPolicy? retry = null, TimeSpan? uploadTimeout = null)
    {
        if (string.IsNullOrWhiteSpace(token))
            throw new ArgumentException("No GitHub token: set GITHUB_TOKEN (or pass --github-token) to a token that may write the repository's releases.");
        _repository = repository;
        _apiBaseUrl = apiBaseUrl;
        _token = token;
        _retry = retry ?? new GitHubRetryPolicy();
        _uploadTimeout = uploadTimeout ?? TimeSpan.FromMinutes(10);
        Log.Masker.Register(token);
        // A Connection of our own, not GitHubClient(baseAddress): that one rewrites any non-github.com URL to /api/v3/.
        var connection = new Connection(new ProductHeaderValue("vteam-build"), apiBaseUrl, new InMemoryCredentialStore(new Credentials(token)));
        _connection = connection;
        _api = new ApiConnection(connection);
    }

    public string Repository => _repository.ToString();

    public Task<RemoteRelease?> FindReleaseAsync(string tag, CancellationToken cancellationToken)
        => Run($"find the release {tag}", async _ =>
        {
            try
            {
                return Map(await _api.Get<ReleaseResource>(Releases($"tags/{Uri.EscapeDataString(tag)}")));
            }
            catch (NotFoundException)
            {
                // GitHub serves only published releases by tag; a draft has no git tag yet.
            }
            return await FindDraftAsync(tag);
        }, cancellationToken);

    public Task<RemoteRelease> CreateDraftAsync(NewReleaseDraft draft, CancellationToken cancellationToken)
        => Run($"create the draft release {draft.Tag}", async attempt =>
        {
            // An attempt whose answer was lost may have created it: look before creating a second draft.
            if (attempt > 1 && await FindDraftAsync(draft.Tag) is { } landed) return landed;
            var created = await _api.Post<ReleaseResource>(Releases(), new NewRelease(draft.Tag)
            {
                Name = draft.Name,
                Body = draft.Body,
                Draft = true,
                Prerelease = draft.Prerelease,
                TargetCommitish = draft.TargetCommitish,
            }, cancellationToken);
            return Map(created);
        }, cancellationToken);

    public Task<IReadOnlyList<RemoteAsset>> ListAssetsAsync(RemoteRelease release, CancellationToken cancellationToken)
        => Run($"list the assets of {release.Tag}", async _ =>
        {
            // Our own resource type: Octokit's ReleaseAsset has no digest and an int id.
            var assets = await _api.GetAll<AssetResource>(Releases($"{release.Id}/assets"), null, JsonMediaType, new ApiOptions { PageSize = 100 });
            return (IReadOnlyList<RemoteAsset>)assets.Select(Map).ToArray();
        }, cancellationToken);

    public Task<byte[]> DownloadAssetAsync(RemoteAsset asset, CancellationToken cancellationToken)
        => Run($"download {asset.Name}", async _ =>
        {
            // application/octet-stream: GitHub streams the file or redirects to storage; Octokit follows
            // the redirect and drops the Authorization header when the host changes.
            var response = await _connection.Get<object>(
                Releases($"assets/{asset.Id}"),
                new Dictionary<string, string>(), "application/octet-stream", cancellationToken);
            switch (response.HttpResponse.Body)
            {
                case byte[] bytes: return bytes;
                case string text: return System.Text.Encoding.UTF8.GetBytes(text);
                case Stream stream:
                    using (var buffer = new MemoryStream())
                    {
                        await stream.CopyToAsync(buffer, cancellationToken);
                        return buffer.ToArray();
                    }
                default: return [];
            }
        }, cancellationToken);

    public Task DeleteAssetAsync(RemoteAsset asset, CancellationToken cancellationToken)
        => Run($"delete {asset.Name}", async _ =>
        {
            try
            {
                await _api.Delete(Releases($"assets/{asset.Id}"));
            }
            catch (NotFoundException)
            {
                // Already gone: an earlier attempt or run deleted it.
            }
            return true;
        }, cancellationToken);

    public Task<RemoteAsset> UploadAssetAsync(RemoteRelease release, LocalAsset asset, CancellationToken cancellationToken)
        => Run($"upload {asset.Name}", async _ =>
        {
            var uri = UploadUrl.Expand(release.UploadUrl, asset.Name);
            await using var content = File.OpenRead(asset.Path);
            var created = await _api.Post<AssetResource>(uri, content, JsonMediaType, asset.ContentType, _uploadTimeout, cancellationToken);
            return Map(created);
        }, cancellationToken, (e, failure) =>
            failure is { Status: 422 } && e is ApiValidationException validation
            && validation.ApiError?.Errors?.Any(x => x.Code == "already_exists") == true
                ? new ReleaseAssetExistsException(asset.Name)
                : null);

    public Task<RemoteRelease> UpdateReleaseAsync(RemoteRelease release, string body, bool publish, CancellationToken cancellationToken)
        => Run(publish ? $"publish the release {release.Tag}" : $"update the notes of {release.Tag}", async _ =>
        {
            var update = new ReleaseUpdate { Body = body };
            if (publish) update.Draft = false;
            return Map(await _api.Patch<ReleaseResource>(Releases(release.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), update));
        }, cancellationToken);

    private async Task<RemoteRelease?> FindDraftAsync(string tag)
    {
        var releases = await _api.GetAll<ReleaseResource>(Releases(), null, JsonMediaType, new ApiOptions { PageSize = 100 });
        var drafts = releases.Where(r => r.Draft && r.TagName == tag).OrderBy(r => r.Id).ToArray();
        if (drafts.Length > 1)
            Log.Warning($"{Repository} has {drafts.Length} draft releases tagged {tag}; using the oldest (id {drafts[0].Id}). Delete the others by hand.");
        return drafts.Length == 0 ? null : Map(drafts[0]);
    }

    private Task<T> Run<T>(string operation, Func<int, Task<T>> action, CancellationToken cancellationToken,
        Func<Exception, GitHubFailure?, Exception?>? special = null)
        => _retry.ExecuteAsync(operation, action, Classify,
            (e, failure, reason) => special?.Invoke(e, failure) ?? Fail(operation, e, failure, reason), cancellationToken);

    private static GitHubFailure? Classify(Exception e)
        => e is ApiException { StatusCode: not 0 } api
            ? GitHubFailure.Of((int)api.StatusCode, api.HttpResponse?.Headers, api.ApiError?.Message ?? api.HttpResponse?.Body as string)
            : null;

    private Exception Fail(string operation, Exception e, GitHubFailure? failure, string reason)
    {
        var where = $"{operation} on {_repository} ({_apiBaseUrl})";
        var said = Clean(failure?.Message);
        var answer = said is null ? "" : $": {said}";
        switch (failure?.Status)
        {
            case 401:
                return new GitHubAccessException(401,
                    $"GitHub refused the token (401{answer}) to {where}. The token in GITHUB_TOKEN (or --github-token) is missing, " +
                    "expired or revoked: make a new one that may write this repository's contents, or on GitHub Actions pass secrets.GITHUB_TOKEN " +
                    "with `permissions: contents: write`.");
            case 403 when !reason.Contains("rate limit", StringComparison.Ordinal):
                return new GitHubAccessException(403,
                    $"GitHub denied the token (403{answer}) to {where}. The token needs write access to the repository's contents " +
                    "(classic token: repo scope; fine-grained token or GITHUB_TOKEN: contents: write), and an organization with SAML SSO " +
                    "must have authorized it.");
            case 404:
                return new GitHubAccessException(404,
                    $"GitHub answered 404 Not Found to {where}. Check --github-repository (now {_repository}) and --github-api-url; " +
                    "GitHub also answers 404 when the token cannot see a private repository.");
            default:
                var status = failure is null ? "" : $" (HTTP {failure.Status}{answer})";
                return new GitHubApiException(failure?.Status,
                    $"GitHub: could not {where}{status}: {reason}. Run PublishRelease again: it continues where this run stopped.",
                    e is ApiException ? null : e);
        }
    }

    /// <summary>A server message, masked: no secret may reach an exception or the log through it.</summary>
    private string? Clean(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return null;
        var masked = Log.Masker.Mask(message.Replace(_token, SecretMasker.Placeholder, StringComparison.Ordinal)).Trim();
        return masked.Length > 300 ? masked[..300] + "…" : masked;
    }

    private Uri Releases(string? rest = null)
        => new($"repos/{_repository.Owner}/{_repository.Name}/releases{(rest is null ? "" : "/" + rest)}", UriKind.Relative);

    private static RemoteRelease Map(ReleaseResource release)
        => new(release.Id, release.TagName ?? "", release.Name, release.Draft, release.Body, release.UploadUrl ?? "", release.HtmlUrl, release.Immutable);

    private static RemoteAsset Map(AssetResource asset)
        => new(asset.Id, asset.Name ?? "", asset.Size, asset.State ?? "", asset.Digest);

    /// <summary>
    /// The release fields we read. Octokit's Release is not used: it deserializes the embedded assets
    /// with an int id, which GitHub's ids will outgrow.
    /// </summary>
    internal sealed class ReleaseResource
    {
        public long Id { get; set; }
        public string? TagName { get; set; }
        public string? Name { get; set; }
        public bool Draft { get; set; }
        public string? Body { get; set; }
        public string? UploadUrl { get; set; }
        public string? HtmlUrl { get; set; }
        public bool Immutable { get; set; }
    }

    /// <summary>The asset fields we read, as GitHub's REST API names them (snake_case mapped by Octokit).</summary>
    internal sealed class AssetResource
    {
        public long Id { get; set; }
        public string? Name { get; set; }
        public long Size { get; set; }
        public string? State { get; set; }
        public string? Digest { get; set; }
    }
}
