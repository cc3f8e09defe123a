using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vteam.Build.Containers.Build;

/// <summary>
/// Asks a registry for the digest it serves for a tag (HEAD /v2/&lt;name&gt;/manifests/&lt;tag&gt; with the OCI
/// and Docker manifest media types), answering a Basic or Bearer challenge with the docker config's credentials.
/// </summary>
public sealed class RegistryManifestCheck(HttpClient http, RegistryCredentials credentials)
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    public async Task<string> DigestAsync(string repository, string tag, CancellationToken cancellationToken = default)
    {
        var host = RegistryCredentials.RegistryHostOf(repository);
        var name = repository.StartsWith(host + "/", StringComparison.Ordinal) ? repository[(host.Length + 1)..] : repository;
        if (host == "docker.io" && !name.Contains('/')) name = "library/" + name;
        var baseUri = new Uri($"{(IsLoopback(host) ? "http" : "https")}://{(host == "docker.io" ? "registry-1.docker.io" : host)}/");
        var uri = new Uri(baseUri, $"v2/{name}/manifests/{Uri.EscapeDataString(tag)}");

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await SendAsync(HttpMethod.Head, uri, null, cancellationToken);
                AuthenticationHeaderValue? authorization = null;
                HttpResponseMessage? retried = null;
                try
                {
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        authorization = await AnswerChallengeAsync(response, host, cancellationToken);
                        retried = await SendAsync(HttpMethod.Head, uri, authorization, cancellationToken);
                    }
                    var final = retried ?? response;
                    if ((int)final.StatusCode >= 500 && attempt < 3) throw new HttpRequestException($"{(int)final.StatusCode} {final.ReasonPhrase}");
                    if (!final.IsSuccessStatusCode)
                        throw new InvalidOperationException($"The registry answered {(int)final.StatusCode} {final.ReasonPhrase} for {repository}:{tag} ({uri}). Check that the push reached it and that the docker config holds credentials for {host}.");
                    if (final.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { Length: > 0 } digest)
                        return digest;
                    // Some registries leave the header off a HEAD: hash the manifest itself.
                    using var get = await SendAsync(HttpMethod.Get, uri, authorization, cancellationToken);
                    get.EnsureSuccessStatusCode();
                    return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await get.Content.ReadAsByteArrayAsync(cancellationToken)));
                }
                finally
                {
                    retried?.Dispose();
                }
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt * attempt), cancellationToken);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        foreach (var type in ManifestTypes) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task<AuthenticationHeaderValue> AnswerChallengeAsync(HttpResponseMessage response, string host, CancellationToken cancellationToken)
    {
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault()
            ?? throw new InvalidOperationException($"{host} answered 401 without a challenge. Check the registry address.");
        var login = credentials.For(host);
        var basic = login is { } c ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.User}:{c.Password}"))) : null;
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return basic ?? throw new InvalidOperationException($"{host} asks for a login and the docker config has none for it. Run `docker login {host}`.");

        var parameters = ParseChallenge(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out var realm))
            throw new InvalidOperationException($"{host} sent a Bearer challenge without a realm.");
        var query = string.Join('&', parameters.Where(p => p.Key is "service" or "scope").Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, query.Length > 0 ? $"{realm}?{query}" : realm);
        tokenRequest.Headers.Authorization = basic;
        using var tokenResponse = await http.SendAsync(tokenRequest, cancellationToken);
        if (!tokenResponse.IsSuccessStatusCode)
            throw new InvalidOperationException($"{realm} refused a token for {host} ({(int)tokenResponse.StatusCode}). Run `docker login {host}`.");
        using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(cancellationToken));
        var token = (json.RootElement.TryGetProperty("token", out var t) ? t : json.RootElement.GetProperty("access_token")).GetString()!;
        return new AuthenticationHeaderValue("Bearer", token);
    }

    internal static Dictionary<string, string> ParseChallenge(string parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameter.Length)
        {
            while (i < parameter.Length && (parameter[i] == ',' || parameter[i] == ' ')) i++;
            var eq = parameter.IndexOf('=', i);
            if (eq < 0) break;
            var key = parameter[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < parameter.Length && parameter[i] == '"')
            {
                var close = parameter.IndexOf('"', i + 1);
                if (close < 0) close = parameter.Length;
                value = parameter[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = parameter.IndexOf(',', i);
                if (comma < 0) comma = parameter.Length;
                value = parameter[i..comma].Trim();
                i = comma;
            }
            result[key] = value;
        }
        return result;
    }

    private static bool IsLoopback(string host)
    {
        var name = host.Contains(':') && !host.StartsWith('[') ? host[..host.LastIndexOf(':')] : host;
        return name is "localhost" or "[::1]" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }
}
