using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vteam.Build.Containers;
using Vteam.Build.Containers.Registry;
using Xunit;

namespace Vteam.Build.Tests.Containers;

/// <summary>What the client decides on answers no honest registry gives (a stand-in handler plays the registry).</summary>
public class RegistryClientUnitSpecs
{
    private const string Body = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}""";

    [Fact]
    public async Task A_body_whose_sha256_differs_from_Docker_Content_Digest_is_refused()
    {
        var liar = "sha256:" + new string('a', 64);
        using var client = new RegistryClient(handler: new Stub(request => request.Method == HttpMethod.Head
            ? new HttpResponseMessage(HttpStatusCode.MethodNotAllowed)
            : Answer(request, Body, liar)));

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ResolveAsync(ImageReference.Parse("localhost:1/x:1"), null, default));

        Assert.Contains("the registry or a proxy altered it", error.Message);
    }

    [Fact]
    public async Task Without_a_digest_header_the_body_is_read_and_hashed()
    {
        var methods = new List<HttpMethod>();
        using var client = new RegistryClient(handler: new Stub(request => { methods.Add(request.Method); return Answer(request, Body, null); }));

        var resolution = await client.ResolveAsync(ImageReference.Parse("localhost:1/x:1"), null, default);

        Assert.Equal(TestDigest(Body), resolution.Digest);
        Assert.Equal([HttpMethod.Head, HttpMethod.Get], methods);
    }

    [Fact]
    public async Task Content_that_does_not_match_the_pinned_digest_is_refused()
    {
        var pinned = "sha256:" + new string('b', 64);
        using var client = new RegistryClient(handler: new Stub(request => Answer(request, Body, null)));

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.ResolveAsync(ImageReference.Parse($"localhost:1/x:1@{pinned}"), null, default));

        Assert.Contains("cannot be trusted", error.Message);
    }

    [Theory]
    [InlineData("localhost:5000", "http")]
    [InlineData("127.0.0.1:5000", "http")]
    [InlineData("[::1]:5000", "http")]
    [InlineData("registry.example.com", "https")]
    [InlineData("10.0.0.1:5000", "https")]
    [InlineData("insecure.internal:5000", "http")]
    public void Plain_HTTP_is_used_only_for_loopback_and_declared_insecure_registries(string host, string scheme)
    {
        using var client = new RegistryClient(new RegistryOptions { InsecureRegistries = new HashSet<string> { "insecure.internal:5000" } });

        Assert.Equal(scheme, client.BaseUri(host).Scheme);
    }

    [Fact]
    public void Docker_Hub_is_reached_at_its_registry_host_and_a_mirror_replaces_it()
    {
        using var plain = new RegistryClient();
        using var mirrored = new RegistryClient(new RegistryOptions { Mirrors = RegistryOptions.ParseMirrors(["docker.io=mirror.internal:5000"]) });

        Assert.Equal("registry-1.docker.io", plain.EndpointHost(ImageReference.Parse("alpine")));
        Assert.Equal("mirror.internal:5000", mirrored.EndpointHost(ImageReference.Parse("alpine")));
        Assert.Equal("quay.io", mirrored.EndpointHost(ImageReference.Parse("quay.io/a/b")));
    }

    [Fact]
    public void A_mirror_entry_without_equals_is_refused_with_an_example()
    {
        var error = Assert.Throws<FormatException>(() => RegistryOptions.ParseMirrors(["mirror.internal:5000"]));

        Assert.Contains("docker.io=mirror.internal:5000", error.Message);
    }

    [Fact]
    public void Backoff_grows_with_each_attempt_and_stays_under_the_cap()
    {
        using var client = new RegistryClient(new RegistryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) });

        var first = client.Backoff(1);
        var third = client.Backoff(3);
        var tenth = client.Backoff(10);

        Assert.InRange(first.TotalMilliseconds, 50, 100);
        Assert.InRange(third.TotalMilliseconds, 200, 400);
        Assert.InRange(tenth.TotalMilliseconds, 500, 1000);
    }

    [Fact]
    public void I_can_read_the_parameters_of_a_bearer_challenge()
    {
        var parameters = Challenge.ParseParameters("realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");

        Assert.Equal("https://auth.docker.io/token", parameters["realm"]);
        Assert.Equal("registry.docker.io", parameters["service"]);
        Assert.Equal("repository:library/alpine:pull", parameters["scope"]);
    }

    [Fact]
    public async Task Docker_Hub_credentials_are_found_under_the_index_server_key()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("docker-config-").FullName, "config.json");
        File.WriteAllText(file, """{ "auths": { "https://index.docker.io/v1/": { "auth": "dXNlcjpodWItc2VjcmV0" } } }""");

        var credential = await new DockerConfigCredentials(file).GetAsync("docker.io", default);

        Assert.Equal(("user", "hub-secret"), (credential!.Username, credential.Secret));
        Assert.Null(await new DockerConfigCredentials(file).GetAsync("quay.io", default));
    }

    [Fact]
    public async Task A_credential_store_that_is_not_installed_is_named_in_the_error()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("docker-config-").FullName, "config.json");
        File.WriteAllText(file, """{ "credsStore": "does-not-exist-here" }""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new DockerConfigCredentials(file).GetAsync("quay.io", default));

        Assert.Contains("docker-credential-does-not-exist-here", error.Message);
    }

    private static string TestDigest(string body) => TestImagePusherDigest(Encoding.UTF8.GetBytes(body));
    private static string TestImagePusherDigest(byte[] body) => RegistryRig.TestImagePusher.Digest(body);

    private static HttpResponseMessage Answer(HttpRequestMessage request, string body, string? digest)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(request.Method == HttpMethod.Head ? [] : Encoding.UTF8.GetBytes(body)),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
        if (digest is not null) response.Headers.Add("Docker-Content-Digest", digest);
        return response;
    }

    private sealed class Stub(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(answer(request));
    }
}
