namespace Vteam.Build.Release;

/// <summary>
/// The few GitHub release operations the build needs, behind our own narrow interface so that the
/// release logic never sees Octokit. Failures come out as <see cref="GitHubAccessException"/>,
/// <see cref="ReleaseAssetExistsException"/> or <see cref="GitHubApiException"/>, never with the token.
/// </summary>
public interface IReleasePublisher
{
    /// <summary>owner/name, for messages.</summary>
    string Repository { get; }

    /// <summary>The release with this tag, published or draft (drafts are only found by listing), or null.</summary>
    Task<RemoteRelease?> FindReleaseAsync(string tag, CancellationToken cancellationToken);

    Task<RemoteRelease> CreateDraftAsync(NewReleaseDraft draft, CancellationToken cancellationToken);

    Task<IReadOnlyList<RemoteAsset>> ListAssetsAsync(RemoteRelease release, CancellationToken cancellationToken);

    Task<byte[]> DownloadAssetAsync(RemoteAsset asset, CancellationToken cancellationToken);

    /// <summary>Deletes the asset; an asset that is already gone counts as deleted.</summary>
    Task DeleteAssetAsync(RemoteAsset asset, CancellationToken cancellationToken);

    /// <summary>Uploads to the release's upload URL; throws <see cref="ReleaseAssetExistsException"/> on a name taken.</summary>
    Task<RemoteAsset> UploadAssetAsync(RemoteRelease release, LocalAsset asset, CancellationToken cancellationToken);

    /// <summary>Sets the notes and, with <paramref name="publish"/>, turns a draft into a published release.</summary>
    Task<RemoteRelease> UpdateReleaseAsync(RemoteRelease release, string body, bool publish, CancellationToken cancellationToken);
}

/// <param name="Immutable">Published with GitHub's immutable releases: its assets can no longer change.</param>
public sealed record RemoteRelease(long Id, string Tag, string? Name, bool Draft, string? Body, string UploadUrl, string? HtmlUrl, bool Immutable = false);

public sealed record NewReleaseDraft(string Tag, string Name, string Body, string? TargetCommitish, bool Prerelease);

/// <summary>An asset as GitHub lists it. <see cref="Digest"/> ("sha256:…") is absent on older servers.</summary>
public sealed record RemoteAsset(long Id, string Name, long Size, string State, string? Digest)
{
    /// <summary>GitHub's state of a finished upload; anything else is a broken or unfinished one.</summary>
    public const string Uploaded = "uploaded";

    public bool IsComplete => string.Equals(State, Uploaded, StringComparison.Ordinal);

    /// <summary>The lower-case hex sha256 behind <see cref="Digest"/>, when the server reports one.</summary>
    public string? Sha256 =>
        Digest is { } digest && digest.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)
        && Checksums.IsSha256Hex(digest["sha256:".Length..])
            ? digest["sha256:".Length..].ToLowerInvariant()
            : null;
}

/// <summary>A file to publish under <see cref="Name"/>, with its size and sha256.</summary>
public sealed record LocalAsset(string Name, string Path, long Size, string Sha256, string ContentType)
{
    public static LocalAsset FromFile(string name, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: the release asset '{name}' does not exist. Run the target that writes it first.", path);
        using var stream = File.OpenRead(path);
        var sha = Checksums.Sha256(stream);
        return new LocalAsset(name, path, new FileInfo(path).Length, sha, ContentTypeOf(name));
    }

    public static string ContentTypeOf(string name) => System.IO.Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".sarif" => "application/sarif+json",
        ".md" => "text/markdown",
        ".html" => "text/html",
        ".txt" or "" => "text/plain",
        _ => "application/octet-stream",
    };
}

/// <summary>GitHub refused the token or the repository: 401, 403 (not a rate limit) or 404.</summary>
public sealed class GitHubAccessException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>Another GitHub failure that retrying did not cure.</summary>
public sealed class GitHubApiException(int? status, string message, Exception? inner = null) : Exception(message, inner)
{
    public int? Status { get; } = status;
}

/// <summary>The upload was refused because the release already has an asset with this name (422 already_exists).</summary>
public sealed class ReleaseAssetExistsException(string name) : Exception($"The release already has an asset named '{name}'.")
{
    public string Name { get; } = name;
}
