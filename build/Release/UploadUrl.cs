namespace Vteam.Build.Release;

/// <summary>
/// Expands a release's <c>upload_url</c> (an RFC 6570 template such as
/// <c>https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}</c>). The host is the one
/// the server named — uploads.github.com, GitHub Enterprise's /api/uploads, or a stand-in.
/// </summary>
public static class UploadUrl
{
    public static Uri Expand(string template, string name, string? label = null)
    {
        var brace = template.IndexOf('{');
        var baseUrl = brace >= 0 ? template[..brace] : template;
        var query = "?name=" + Uri.EscapeDataString(name) + (label is null ? "" : "&label=" + Uri.EscapeDataString(label));
        if (!Uri.TryCreate(baseUrl + query, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new GitHubApiException(null, $"The release's upload_url '{template}' is not an absolute http(s) URL; the server answered something GitHub does not.");
        return uri;
    }
}
