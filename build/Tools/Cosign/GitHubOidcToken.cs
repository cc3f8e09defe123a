using System.Net.Http.Headers;
using System.Text.Json;

namespace Vteam.Build.Tools.Cosign;

/// <summary>
/// The GitHub Actions OIDC identity token for keyless signing: requested from ACTIONS_ID_TOKEN_REQUEST_URL
/// with audience "sigstore" (the job needs `permissions: id-token: write`). The token is a secret.
/// </summary>
public static class GitHubOidcToken
{
    public const string Issuer = "https://token.actions.githubusercontent.com";

    public static async Task<string> RequestAsync(HttpClient http, string requestUrl, string requestToken, CancellationToken cancellation)
    {
        var separator = requestUrl.Contains('?') ? '&' : '?';
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{requestUrl}{separator}audience=sigstore");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", requestToken);
        using var response = await http.SendAsync(request, cancellation);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"GitHub Actions refused the OIDC token request (HTTP {(int)response.StatusCode}). Give the job `permissions: id-token: write`, or sign with --cosign-key.");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
        return body.RootElement.TryGetProperty("value", out var value) && value.GetString() is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException("GitHub Actions answered the OIDC token request without a token (no 'value').");
    }

    /// <summary>The certificate identity Fulcio gives a GitHub workflow: its URL at the ref (GITHUB_WORKFLOW_REF = owner/repo/.github/workflows/f.yml@ref).</summary>
    public static string IdentityOf(string serverUrl, string workflowRef) => $"{serverUrl.TrimEnd('/')}/{workflowRef}";

    /// <summary>Any workflow of the repository at any ref, for verifying what another workflow signed.</summary>
    public static string IdentityRegexpOf(string serverUrl, string repository)
        => $"^{System.Text.RegularExpressions.Regex.Escape(serverUrl.TrimEnd('/'))}/{System.Text.RegularExpressions.Regex.Escape(repository)}/\\.github/workflows/.+@.+$";

    /// <summary>owner/repo from GITHUB_WORKFLOW_REF.</summary>
    public static string? RepositoryOf(string workflowRef)
    {
        var marker = workflowRef.IndexOf("/.github/workflows/", StringComparison.Ordinal);
        return marker > 0 ? workflowRef[..marker] : null;
    }
}
