using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vteam.Build.Engine;

namespace Vteam.Build.Containers.Registry;

/// <summary>A WWW-Authenticate challenge: the scheme (lower case) and its parameters (realm, service, scope).</summary>
public sealed record Challenge(string Scheme, string? Realm, string? Service)
{
    public static Challenge? Parse(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var header = headers.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                     ?? headers.FirstOrDefault(h => h.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
                     ?? headers.FirstOrDefault();
        if (header is null) return null;
        var parameters = ParseParameters(header.Parameter ?? "");
        return new Challenge(header.Scheme.ToLowerInvariant(), parameters.GetValueOrDefault("realm"), parameters.GetValueOrDefault("service"));
    }

    /// <summary>Parses <c>realm="https://x/token",service="registry",scope="repository:a:pull"</c>.</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var equals = text.IndexOf('=', i);
            if (equals < 0) break;
            var name = text[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i++]);
                }
                i++;
            }
            else
                while (i < text.Length && text[i] != ',') value.Append(text[i++]);
            result[name] = value.ToString().Trim();
        }
        return result;
    }
}

/// <summary>
/// Bearer tokens from a registry's token service, cached per registry, repository scope and user until
/// shortly before they expire. Anonymous when there are no credentials; basic auth to the realm when
/// there are; an identity token is exchanged by the OAuth2 refresh-token grant.
/// </summary>
internal sealed class BearerTokenCache(RegistryClient client)
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, Lazy<Task<(string Token, DateTimeOffset Expires)>>> _tokens = new(StringComparer.Ordinal);

    public static string ScopeFor(ImageReference reference) => $"repository:{reference.Path}:pull";

    public async Task<string> GetAsync(string host, Challenge challenge, ImageReference reference, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var key = Key(host, challenge, reference, credential);
        while (true)
        {
            var entry = _tokens.GetOrAdd(key, _ => new Lazy<Task<(string, DateTimeOffset)>>(() => FetchAsync(host, challenge, reference, credential, cancellationToken)));
            (string Token, DateTimeOffset Expires) token;
            try
            {
                token = await entry.Value;
            }
            catch
            {
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(key, entry));
                throw;
            }
            if (token.Expires > DateTimeOffset.UtcNow) return token.Token;
            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(string, DateTimeOffset)>>>(key, entry));
        }
    }

    public void Forget(string host, Challenge challenge, ImageReference reference)
    {
        foreach (var key in _tokens.Keys.Where(k => k.StartsWith(host + "|" + challenge.Realm + "|" + challenge.Service + "|" + ScopeFor(reference) + "|", StringComparison.Ordinal)))
            _tokens.TryRemove(key, out _);
    }

    private static string Key(string host, Challenge challenge, ImageReference reference, RegistryCredential? credential)
        => $"{host}|{challenge.Realm}|{challenge.Service}|{ScopeFor(reference)}|{credential?.Username}";

    private async Task<(string, DateTimeOffset)> FetchAsync(string host, Challenge challenge, ImageReference reference, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        if (challenge.Realm is null || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm))
            throw new RegistryException($"{reference.Familiar}: {host} asks for a bearer token but names no usable token realm ('{challenge.Realm}').");
        if (realm.Scheme == Uri.UriSchemeHttp && !RegistryClient.IsLoopback(realm.Authority) && !client.Options.InsecureRegistries.Contains(realm.Authority))
            throw new RegistryException($"{reference.Familiar}: the token service {realm} is plain HTTP; credentials are sent there only when it is on loopback or declared with --allow-insecure-registry {realm.Authority}.");

        var scope = ScopeFor(reference);
        var query = new StringBuilder();
        if (challenge.Service is not null) query.Append("service=").Append(Uri.EscapeDataString(challenge.Service)).Append('&');
        query.Append("scope=").Append(Uri.EscapeDataString(scope));
        var refresh = credential?.Username == "<token>";

        var (response, body, _) = await client.SendWithRetriesAsync(realm.Authority, () =>
        {
            HttpRequestMessage request;
            if (refresh)
            {
                request = new HttpRequestMessage(HttpMethod.Post, realm)
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "refresh_token",
                        ["refresh_token"] = credential!.Secret,
                        ["service"] = challenge.Service ?? "",
                        ["scope"] = scope,
                        ["client_id"] = "vteam-build",
                    }),
                };
            }
            else
            {
                var builder = new UriBuilder(realm) { Query = (realm.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + query };
                request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
                if (credential is not null)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")));
            }
            return request;
        }, readBody: true, $"token for {reference.Familiar} from {realm.GetLeftPart(UriPartial.Path)}", cancellationToken);

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new RegistryException(credential is null
                    ? $"{reference.Familiar}: the token service of {host} refused an anonymous token for {scope} ({(int)response.StatusCode}); run `docker login {host}`."
                    : $"{reference.Familiar}: the token service of {host} refused the credentials of '{credential.Username}' for {scope} ({(int)response.StatusCode}); check `docker login {host}`.",
                    response.StatusCode);
            if (!response.IsSuccessStatusCode)
                throw new RegistryException($"{reference.Familiar}: the token service of {host} answered {(int)response.StatusCode} {response.ReasonPhrase}.", response.StatusCode);
            try
            {
                using var json = JsonDocument.Parse(body!);
                var root = json.RootElement;
                var token = root.TryGetProperty("token", out var t) && t.GetString() is { Length: > 0 } first ? first
                    : root.TryGetProperty("access_token", out var a) && a.GetString() is { Length: > 0 } second ? second
                    : throw new RegistryException($"{reference.Familiar}: the token service of {host} sent no token.");
                Log.Masker.Register(token);
                var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
                var issued = root.TryGetProperty("issued_at", out var i) && i.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.UtcNow;
                if (issued > DateTimeOffset.UtcNow) issued = DateTimeOffset.UtcNow;
                // Renew a little early, so a token does not expire between check and use.
                var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, lifetime.Ticks / 4));
                return (token, issued + lifetime - margin);
            }
            catch (JsonException)
            {
                throw new RegistryException($"{reference.Familiar}: the token service of {host} did not answer with JSON.");
            }
        }
    }
}
