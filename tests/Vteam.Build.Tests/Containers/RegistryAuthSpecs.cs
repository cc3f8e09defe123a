using System.Text;
using Vteam.Build.Containers;
using Vteam.Build.Containers.Registry;
using Vteam.Build.Tests.Containers.RegistryRig;
using Xunit;

namespace Vteam.Build.Tests.Containers;

public class RegistryAuthSpecs
{
    private const string User = "builder";
    private const string Password = "pa55-w0rd-for-tests";

    [RegistryFact]
    public async Task I_can_resolve_on_an_htpasswd_registry_with_credentials_from_docker_config_auths()
    {
        await using var registry = await LocalRegistry.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        using var pusher = new TestImagePusher(registry.BaseUri, TestImagePusher.Basic(User, Password));
        var pushed = await pusher.PushImageAsync("private/app", "1");
        var config = DockerConfig($$"""{ "auths": { "http://{{registry.Host}}/v2/": { "auth": "{{Base64($"{User}:{Password}")}}" } } }""");
        using var client = new RegistryClient(credentials: new DockerConfigCredentials(config));

        var resolution = await client.ResolveAsync(ImageReference.Parse($"{registry.Host}/private/app:1"), null, default);

        Assert.Equal(pushed, resolution.Digest);
    }

    [RegistryFact]
    public async Task An_htpasswd_registry_without_credentials_fails_saying_how_to_log_in()
    {
        await using var registry = await LocalRegistry.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        using var client = new RegistryClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(ImageReference.Parse($"{registry.Host}/private/app:1"), null, default));

        Assert.Contains($"docker login {registry.Host}", error.Message);
    }

    [RegistryFact]
    public async Task A_wrong_password_fails_naming_the_user_and_not_the_password()
    {
        await using var registry = await LocalRegistry.StartAsync(new RegistryAuth.Htpasswd(User, Password));
        var config = DockerConfig($$"""{ "auths": { "{{registry.Host}}": { "username": "{{User}}", "password": "wrong-password" } } }""");
        using var client = new RegistryClient(credentials: new DockerConfigCredentials(config));

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(ImageReference.Parse($"{registry.Host}/private/app:1"), null, default));

        Assert.Contains($"refused the credentials of '{User}'", error.Message);
        Assert.DoesNotContain("wrong-password", error.Message);
    }

    [RegistryFact]
    public async Task I_can_resolve_anonymously_through_the_bearer_token_flow()
    {
        await using var tokens = await TestTokenService.StartAsync();
        await using var registry = await LocalRegistry.StartAsync(tokens.RegistryAuth);
        using var pusher = new TestImagePusher(registry.BaseUri) { AuthorizationFor = tokens.PushAuthorization };
        var pushed = await pusher.PushImageAsync("public/base", "1");
        using var client = new RegistryClient();

        var resolution = await client.ResolveAsync(ImageReference.Parse($"{registry.Host}/public/base:1"), null, default);

        Assert.Equal(pushed, resolution.Digest);
    }

    [RegistryFact]
    public async Task A_bearer_token_is_fetched_with_credentials_from_a_credential_helper_and_cached_per_repository()
    {
        await using var tokens = await TestTokenService.StartAsync(User, Password);
        await using var registry = await LocalRegistry.StartAsync(tokens.RegistryAuth);
        using var pusher = new TestImagePusher(registry.BaseUri) { AuthorizationFor = tokens.PushAuthorization };
        var first = await pusher.PushImageAsync("private/app", "1");
        var second = await pusher.PushImageAsync("private/app", "2");
        var other = await pusher.PushImageAsync("private/other", "1");
        var helpers = Directory.CreateTempSubdirectory("helpers-").FullName;
        var helper = Path.Combine(helpers, "docker-credential-vteamtest");
        File.WriteAllText(helper, $$"""
            #!/bin/sh
            read server
            [ "$1" = get ] && [ "$server" = "{{registry.Host}}" ] || { echo "credentials not found in native keychain"; exit 1; }
            echo '{"ServerURL":"{{registry.Host}}","Username":"{{User}}","Secret":"{{Password}}"}'
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = DockerConfig($$"""{ "credHelpers": { "{{registry.Host}}": "vteamtest" } }""");
        using var client = new RegistryClient(credentials: new DockerConfigCredentials(config, helpers));

        var digests = new[]
        {
            (await client.ResolveAsync(ImageReference.Parse($"{registry.Host}/private/app:1"), null, default)).Digest,
            (await client.ResolveAsync(ImageReference.Parse($"{registry.Host}/private/app:2"), null, default)).Digest,
            (await client.ResolveAsync(ImageReference.Parse($"{registry.Host}/private/other:1"), null, default)).Digest,
        };

        Assert.Equal([first, second, other], digests);
        Assert.Equal(2, tokens.TokensIssued);
    }

    [RegistryFact]
    public async Task An_expired_bearer_token_is_fetched_again()
    {
        await using var tokens = await TestTokenService.StartAsync();
        tokens.Lifetime = TimeSpan.FromSeconds(2);
        await using var registry = await LocalRegistry.StartAsync(tokens.RegistryAuth);
        using var pusher = new TestImagePusher(registry.BaseUri) { AuthorizationFor = tokens.PushAuthorization };
        await pusher.PushImageAsync("public/short", "1");
        using var client = new RegistryClient();
        var reference = ImageReference.Parse($"{registry.Host}/public/short:1");

        await client.ResolveAsync(reference, null, default);
        await client.ResolveAsync(reference, null, default);
        var beforeExpiry = tokens.TokensIssued;
        await Task.Delay(TimeSpan.FromSeconds(1.6));
        await client.ResolveAsync(reference, null, default);

        Assert.Equal(1, beforeExpiry);
        Assert.Equal(2, tokens.TokensIssued);
    }

    [RegistryFact]
    public async Task A_private_repository_without_credentials_fails_through_the_token_flow()
    {
        await using var tokens = await TestTokenService.StartAsync();
        await using var registry = await LocalRegistry.StartAsync(tokens.RegistryAuth);
        using var client = new RegistryClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(ImageReference.Parse($"{registry.Host}/private/app:1"), null, default));

        Assert.Contains("requires credentials to pull private/app", error.Message);
    }

    private static string DockerConfig(string json)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("docker-config-").FullName, "config.json");
        File.WriteAllText(file, json);
        return file;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
