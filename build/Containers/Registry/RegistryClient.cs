using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Vteam.Build.Engine;

namespace Vteam.Build.Containers.Registry;

public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;
}

/// <summary>What a tag or digest resolved to: the digest to pin and what kind of manifest it names.</summary>
public sealed record ManifestResolution(ImageReference Reference, string Digest, string MediaType, Platform? Platform, int Requests);

/// <summary>A lookup that failed for good: the message says which image, which registry and what to do.</summary>
public sealed class RegistryException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// The OCI distribution API, as much as pinning needs: resolve a reference to its manifest digest.
/// HEAD first (GET when HEAD says too little), bearer and basic auth, retries with backoff and jitter,
/// a limit on requests in flight per registry, and digest checks on every body read.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private static readonly string[] AcceptedManifests = [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest];
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly RegistryOptions _options;
    private readonly IRegistryCredentials _credentials;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _limits = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Challenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredential?>>> _credentialCache = new(StringComparer.OrdinalIgnoreCase);
    private readonly BearerTokenCache _tokens;

    public RegistryClient(RegistryOptions? options = null, IRegistryCredentials? credentials = null, HttpMessageHandler? handler = null)
    {
        _options = options ?? new RegistryOptions();
        _credentials = credentials ?? new NoRegistryCredentials();
        _ownsClient = true;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = Math.Max(1, _options.MaxConcurrencyPerRegistry),
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _options.RequestTimeout,
        }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("vteam-build", "1.0"));
        _tokens = new BearerTokenCache(this);
    }

    public RegistryOptions Options => _options;

    /// <summary>The host a reference's registry is reached at (its mirror when one is configured).</summary>
    public string EndpointHost(ImageReference reference)
    {
        if (_options.Mirrors.TryGetValue(reference.Domain, out var mirror)) return mirror;
        return reference.Domain == ImageReference.DefaultDomain ? "registry-1.docker.io" : reference.Domain;
    }

    public Uri BaseUri(string host)
    {
        var plain = IsLoopback(host) || _options.InsecureRegistries.Contains(host);
        return new Uri($"{(plain ? "http" : "https")}://{host}/");
    }

    public static bool IsLoopback(string host)
    {
        var name = host;
        if (name.StartsWith('['))
            name = name[1..name.IndexOf(']')];
        else if (name.LastIndexOf(':') is var colon and > 0)
            name = name[..colon];
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>
    /// The digest of the manifest a reference names: the index by default, or the manifest of
    /// <paramref name="platform"/> when the reference names a multi-platform index.
    /// </summary>
    public async Task<ManifestResolution> ResolveAsync(ImageReference reference, Platform? platform, CancellationToken cancellationToken)
    {
        var host = EndpointHost(reference);
        var limit = _limits.GetOrAdd(host, _ => new SemaphoreSlim(Math.Max(1, _options.MaxConcurrencyPerRegistry)));
        await limit.WaitAsync(cancellationToken);
        try
        {
            return await ResolveLimitedAsync(reference, host, platform, cancellationToken);
        }
        finally
        {
            limit.Release();
        }
    }

    private async Task<ManifestResolution> ResolveLimitedAsync(ImageReference reference, string host, Platform? platform, CancellationToken cancellationToken)
    {
        var requests = 0;
        var uri = new Uri(BaseUri(host), $"v2/{reference.Path}/manifests/{reference.ManifestReference}");
        var head = await SendAsync(reference, host, HttpMethod.Head, uri, readBody: false, cancellationToken);
        requests += head.Requests;

        if (head.Status is HttpStatusCode.NotFound)
            throw new RegistryException($"{reference.Familiar}: {host} has no manifest for '{reference.ManifestReference}' in {reference.Path}; check the name and tag.", head.Status);

        string digest;
        string mediaType;
        byte[]? body = null;
        if (head.Status == HttpStatusCode.OK && head.Digest is { } headDigest && (platform is null || !MediaTypes.IsIndex(head.MediaType)))
        {
            digest = headDigest;
            mediaType = head.MediaType ?? "";
        }
        else
        {
            // HEAD gave no digest, or an index we must read to choose a platform: GET, by digest when we know it.
            var getUri = head.Digest is { } known ? new Uri(BaseUri(host), $"v2/{reference.Path}/manifests/{known}") : uri;
            var get = await SendAsync(reference, host, HttpMethod.Get, getUri, readBody: true, cancellationToken);
            requests += get.Requests;
            if (get.Status == HttpStatusCode.NotFound)
                throw new RegistryException($"{reference.Familiar}: {host} has no manifest for '{reference.ManifestReference}' in {reference.Path}; check the name and tag.", get.Status);
            body = get.Body!;
            digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
            if (get.Digest is not null && get.Digest.StartsWith("sha256:", StringComparison.Ordinal) && get.Digest != digest)
                throw new RegistryException($"{reference.Familiar}: {host} sent a manifest whose sha256 is {digest}, but its Docker-Content-Digest says {get.Digest}; the registry or a proxy altered it. Try again or use another mirror.");
            if (head.Digest is not null && head.Digest != digest)
                throw new RegistryException($"{reference.Familiar}: the manifest {host} sent hashes to {digest}, not to {head.Digest} it announced; try again.");
            mediaType = get.MediaType ?? MediaTypeOf(body) ?? "";
        }

        if (reference.Digest is not null && reference.Digest != digest)
            throw new RegistryException($"{reference.Familiar}: {host} answered for {reference.Digest} with content of {digest}; the registry cannot be trusted for this image.");

        if (platform is not null && MediaTypes.IsIndex(mediaType))
        {
            var chosen = ChoosePlatform(reference, body!, platform);
            return new ManifestResolution(reference, chosen.Digest, chosen.MediaType, platform, requests);
        }
        return new ManifestResolution(reference, digest, mediaType, null, requests);
    }

    private static string? MediaTypeOf(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("mediaType", out var type)) return type.GetString();
            return json.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string Digest, string MediaType) ChoosePlatform(ImageReference reference, byte[] index, Platform platform)
    {
        using var json = JsonDocument.Parse(index);
        var candidates = new List<(string Digest, string MediaType, Platform Platform)>();
        foreach (var manifest in json.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (!manifest.TryGetProperty("platform", out var p)) continue;
            var os = p.TryGetProperty("os", out var o) ? o.GetString() ?? "" : "";
            var architecture = p.TryGetProperty("architecture", out var a) ? a.GetString() ?? "" : "";
            var variant = p.TryGetProperty("variant", out var v) ? v.GetString() : null;
            var digest = manifest.GetProperty("digest").GetString() ?? "";
            if (!ImageReference.IsValidDigest(digest, out var error))
                throw new RegistryException($"{reference.Familiar}: the index lists a manifest with a bad digest ({error}).");
            var mediaType = manifest.TryGetProperty("mediaType", out var m) ? m.GetString() ?? "" : "";
            candidates.Add((digest, mediaType, new Platform(os, architecture, variant)));
        }
        var matching = candidates.Where(c => c.Platform.Os == platform.Os && c.Platform.Architecture == platform.Architecture).ToList();
        var exact = platform.Variant is null
            ? matching.OrderBy(c => c.Platform.Variant is null or "v8" ? 0 : 1).FirstOrDefault()
            : matching.FirstOrDefault(c => c.Platform.Variant == platform.Variant);
        if (exact.Digest is null)
            throw new RegistryException(
                $"{reference.Familiar} has no manifest for {platform}; it has {string.Join(", ", candidates.Select(c => c.Platform.ToString()).Distinct())}. Choose one of those with --platform, or leave --platform out to pin the index.");
        return (exact.Digest, exact.MediaType);
    }

    private sealed record Reply(HttpStatusCode Status, string? Digest, string? MediaType, byte[]? Body, int Requests);

    // One request with auth and retries; 401 is answered once per challenge, then reported.
    private async Task<Reply> SendAsync(ImageReference reference, string host, HttpMethod method, Uri uri, bool readBody, CancellationToken cancellationToken)
    {
        var requests = 0;
        var challenged = false;
        while (true)
        {
            var authorization = await AuthorizationAsync(reference, host, cancellationToken);
            var (response, body, attempts) = await SendWithRetriesAsync(host, () =>
            {
                var request = new HttpRequestMessage(method, uri);
                foreach (var type in AcceptedManifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
                request.Headers.Authorization = authorization;
                return request;
            }, readBody, $"{method} {uri}", cancellationToken);
            requests += attempts;
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    var challenge = Challenge.Parse(response.Headers.WwwAuthenticate);
                    if (challenge is null)
                        throw new RegistryException($"{reference.Familiar}: {host} refused the request (401) without saying how to authenticate.", response.StatusCode);
                    // One fresh try per lookup: the first challenge, or a token that expired early.
                    if (challenged)
                    {
                        var credential = await CredentialAsync(reference, host);
                        throw new RegistryException(credential is null
                                ? $"{reference.Familiar}: {host} requires credentials to pull {reference.Path} (401); run `docker login {host}` or add them to {DockerConfigCredentials.DefaultConfigFile()}."
                                : $"{reference.Familiar}: {host} refused the credentials of '{credential.Username}' (401); check `docker login {host}` or the auths/credHelpers in {DockerConfigCredentials.DefaultConfigFile()}.",
                            response.StatusCode);
                    }
                    challenged = true;
                    _challenges[host] = challenge;
                    if (authorization?.Scheme == "Bearer") _tokens.Forget(host, challenge, reference);
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.Forbidden)
                    throw new RegistryException($"{reference.Familiar}: {host} denies pull access to {reference.Path} (403); check that the credentials may read it.", response.StatusCode);
                if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented && method == HttpMethod.Head)
                    return new Reply(response.StatusCode, null, null, null, requests);
                if (response.StatusCode == HttpStatusCode.NotFound)
                    return new Reply(response.StatusCode, null, null, null, requests);
                if (!response.IsSuccessStatusCode)
                    throw new RegistryException(
                        $"{reference.Familiar}: {method} {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}{Excerpt(body)}.", response.StatusCode);

                var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
                if (digest is not null && !ImageReference.IsValidDigest(digest, out var error))
                    throw new RegistryException($"{reference.Familiar}: {host} sent a malformed Docker-Content-Digest ({error}).");
                return new Reply(response.StatusCode, digest, response.Content.Headers.ContentType?.MediaType, body, requests);
            }
        }
    }

    private static string Excerpt(byte[]? body)
        => body is { Length: > 0 } ? ": " + System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).Trim() : "";

    private async Task<AuthenticationHeaderValue?> AuthorizationAsync(ImageReference reference, string host, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(host, out var challenge)) return null;
        var credential = await CredentialAsync(reference, host);
        if (challenge.Scheme == "basic")
        {
            if (credential is null)
                throw new RegistryException($"{reference.Familiar}: {host} asks for a user name and password; run `docker login {host}` or add it to {DockerConfigCredentials.DefaultConfigFile()}.", HttpStatusCode.Unauthorized);
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")));
        }
        if (challenge.Scheme == "bearer")
        {
            var token = await _tokens.GetAsync(host, challenge, reference, credential, cancellationToken);
            return new AuthenticationHeaderValue("Bearer", token);
        }
        throw new RegistryException($"{reference.Familiar}: {host} asks for '{challenge.Scheme}' authentication, which is not supported (basic and bearer are).");
    }

    private Task<RegistryCredential?> CredentialAsync(ImageReference reference, string host)
    {
        // Through a mirror the mirror's credentials apply; Docker Hub's are filed under docker.io.
        var key = host == "registry-1.docker.io" ? reference.Domain : host;
        return _credentialCache.GetOrAdd(key, k => new Lazy<Task<RegistryCredential?>>(() => _credentials.GetAsync(k, CancellationToken.None))).Value;
    }

    /// <summary>
    /// Sends with retries on 429, 5xx, resets and timeouts; waits Retry-After when given, else exponential
    /// backoff with full jitter. Returns the response (and its body when asked) of the last attempt.
    /// </summary>
    internal async Task<(HttpResponseMessage Response, byte[]? Body, int Attempts)> SendWithRetriesAsync(
        string host, Func<HttpRequestMessage> createRequest, bool readBody, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage? response = null;
            string failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var request = createRequest();
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                byte[]? body = null;
                if (readBody || !response.IsSuccessStatusCode)
                    body = await ReadBodyAsync(response, timeout.Token);
                if (!IsTransient(response.StatusCode)) return (response, body, attempt);
                failure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                retryAfter = RetryAfter(response);
                response.Dispose();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                failure = $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException e)
            {
                response?.Dispose();
                failure = e.InnerException?.Message ?? e.Message;
            }
            catch (IOException e)
            {
                response?.Dispose();
                failure = e.Message;
            }

            if (attempt >= _options.MaxAttempts)
                throw new RegistryException($"{what}: gave up after {attempt} attempts, the last failed with {failure}. Check that {host} is reachable, or retry later.");
            if (retryAfter > _options.MaxRetryAfter)
                throw new RegistryException($"{what}: {host} asks to retry after {retryAfter.Value.TotalSeconds:0} s ({failure}), longer than the {_options.MaxRetryAfter.TotalSeconds:0} s this build waits; retry later.");
            var delay = retryAfter ?? Backoff(attempt);
            Log.Verbose($"{what}: {failure}; attempt {attempt + 1} of {_options.MaxAttempts} in {delay.TotalMilliseconds:0} ms");
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
            throw new RegistryException($"{response.RequestMessage?.RequestUri}: the answer is {response.Content.Headers.ContentLength} bytes, more than a manifest can be.");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxManifestBytes)
                throw new RegistryException($"{response.RequestMessage?.RequestUri}: the answer is larger than a manifest can be.");
        }
        return buffer.ToArray();
    }

    internal static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>Equal jitter: between half and all of base × 2^(attempt-1), capped, so waits spread but never vanish.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    internal HttpClient Http => _http;

    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
        foreach (var limit in _limits.Values) limit.Dispose();
    }
}
