using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vteam.Build.Tests.Containers.RegistryRig;

/// <summary>
/// A registry token service for tests (the docker token auth spec): issues RS256 JWTs with an x5c
/// certificate that the real registry trusts through its rootcertbundle. Anonymous pull is allowed for
/// repositories under "public/", everything else needs the user and password.
/// </summary>
public sealed class TestTokenService : IAsyncDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "test-token-issuer";
    private readonly WebApplication _app;
    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;
    private int _issued;

    private TestTokenService(WebApplication app, RSA key, X509Certificate2 certificate, string bundle)
    {
        _app = app;
        _key = key;
        _certificate = certificate;
        CertificateBundle = bundle;
    }

    public string User { get; init; } = "tester";
    public string Password { get; init; } = "s3cret-token-pass";
    public string CertificateBundle { get; }
    public string Realm { get; private set; } = "";
    public int TokensIssued => _issued;
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    public RegistryAuth.Token RegistryAuth => new(Realm, Service, Issuer, CertificateBundle);

    public static async Task<TestTokenService> StartAsync(string user = "tester", string password = "s3cret-token-pass")
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=test-token-issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var bundle = Path.Combine(Directory.CreateTempSubdirectory("token-").FullName, "root.pem");
        await File.WriteAllTextAsync(bundle, certificate.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var service = new TestTokenService(app, key, certificate, bundle) { User = user, Password = password };
        app.MapGet("/token", (HttpContext context) => service.Issue(context));
        await app.StartAsync();
        service.Realm = app.Urls.Single().Replace("[::]", "127.0.0.1") + "/token";
        return service;
    }

    private IResult Issue(HttpContext context)
    {
        var scope = context.Request.Query["scope"].ToString();
        var authenticated = false;
        if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.ToString(), out var header) && header.Scheme == "Basic")
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? ""));
            if (pair != $"{User}:{Password}") return Results.Unauthorized();
            authenticated = true;
        }
        var parts = scope.Split(':');
        var access = new List<object>();
        if (parts.Length == 3 && parts[0] == "repository" && (authenticated || parts[1].StartsWith("public/", StringComparison.Ordinal)))
        {
            var actions = parts[2].Split(',').Where(a => authenticated || a == "pull").ToArray();
            access.Add(new { type = "repository", name = parts[1], actions });
        }
        Interlocked.Increment(ref _issued);
        return Results.Json(new { token = CreateToken(authenticated ? User : "", access), expires_in = (int)Lifetime.TotalSeconds, issued_at = DateTimeOffset.UtcNow.ToString("O") });
    }

    /// <summary>A token for the pusher: push and pull on a repository.</summary>
    public AuthenticationHeaderValue PushAuthorization(string repository)
        => new("Bearer", CreateToken(User, [new { type = "repository", name = repository, actions = new[] { "pull", "push" } }]));

    private string CreateToken(string subject, IEnumerable<object> access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "RS256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new
        {
            iss = Issuer, sub = subject, aud = Service, exp = now + (long)Lifetime.TotalSeconds, nbf = now - 10, iat = now,
            jti = Guid.NewGuid().ToString("N"), access,
        };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
        _certificate.Dispose();
    }
}
