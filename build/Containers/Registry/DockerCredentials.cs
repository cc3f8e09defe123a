using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Engine;

namespace Vteam.Build.Containers.Registry;

/// <summary>A user name and secret for a registry; a user of <c>&lt;token&gt;</c> means an identity token.</summary>
public sealed record RegistryCredential(string Username, string Secret)
{
    public override string ToString() => $"{Username}:***";
}

/// <summary>Where credentials for a registry host come from.</summary>
public interface IRegistryCredentials
{
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}

public sealed class NoRegistryCredentials : IRegistryCredentials
{
    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) => Task.FromResult<RegistryCredential?>(null);
}

/// <summary>
/// Credentials as the docker CLI keeps them in config.json: <c>credHelpers</c> per registry, else
/// <c>credsStore</c>, else <c>auths</c> (base64 user:password, or username/password, or an identity token).
/// Helpers are <c>docker-credential-&lt;name&gt; get</c>, given the server on stdin.
/// </summary>
public sealed class DockerConfigCredentials(string? configFile = null, string? helperDirectory = null) : IRegistryCredentials
{
    private const string DockerHubServer = "https://index.docker.io/v1/";
    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(30);

    public string ConfigFile { get; } = configFile ?? DefaultConfigFile();

    public static string DefaultConfigFile()
    {
        var directory = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(directory))
            directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return Path.Combine(directory, "config.json");
    }

    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        if (!File.Exists(ConfigFile)) return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(await File.ReadAllTextAsync(ConfigFile, cancellationToken));
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{ConfigFile}:{e.LineNumber + 1}: not valid JSON ({e.Message}); fix or remove the file.");
        }
        using (document)
        {
            var root = document.RootElement;
            var keys = KeysFor(registry);
            if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
                foreach (var helper in helpers.EnumerateObject())
                    if (keys.Contains(NormaliseKey(helper.Name)) && helper.Value.GetString() is { Length: > 0 } name)
                        return await FromHelperAsync(name, ServerFor(registry), cancellationToken);

            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
                foreach (var entry in auths.EnumerateObject())
                    if (keys.Contains(NormaliseKey(entry.Name)) && FromAuthEntry(entry.Value, entry.Name) is { } credential)
                        return Remember(credential);

            if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
                return await FromHelperAsync(storeName, ServerFor(registry), cancellationToken);
        }
        return null;
    }

    private RegistryCredential? FromAuthEntry(JsonElement entry, string key)
    {
        if (entry.ValueKind != JsonValueKind.Object) return null;
        if (entry.TryGetProperty("identitytoken", out var identity) && identity.GetString() is { Length: > 0 } token)
            return new RegistryCredential("<token>", token);
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)); }
            catch (FormatException) { throw new InvalidOperationException($"{ConfigFile}: auths[\"{key}\"].auth is not base64 of user:password; run docker login {key} again."); }
            var colon = decoded.IndexOf(':');
            if (colon < 0) throw new InvalidOperationException($"{ConfigFile}: auths[\"{key}\"].auth does not hold user:password; run docker login {key} again.");
            return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]);
        }
        if (entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password)
            && user.GetString() is { } u && password.GetString() is { } p)
            return new RegistryCredential(u, p);
        return null;
    }

    private async Task<RegistryCredential?> FromHelperAsync(string helper, string server, CancellationToken cancellationToken)
    {
        var executable = "docker-credential-" + helper;
        if (helperDirectory is not null) executable = Path.Combine(helperDirectory, executable);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HelperTimeout);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(executable)
                .WithArguments(a => a.Add("get"))
                .WithStandardInputPipe(PipeSource.FromString(server))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{ConfigFile} names the credential helper '{helper}', but {executable} is not on PATH; install it or remove it from the file.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{executable} get did not answer within {HelperTimeout.TotalSeconds:0} s for {server}.");
        }
        if (result.ExitCode != 0)
        {
            if (result.StandardOutput.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
                || result.StandardError.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
                return null;
            throw new InvalidOperationException($"{executable} get failed for {server} (exit code {result.ExitCode}): {Log.Masker.Mask(result.StandardError.Trim())}");
        }
        try
        {
            using var json = JsonDocument.Parse(result.StandardOutput);
            var username = json.RootElement.GetProperty("Username").GetString() ?? "";
            var secret = json.RootElement.GetProperty("Secret").GetString() ?? "";
            return secret.Length == 0 ? null : Remember(new RegistryCredential(username, secret));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException)
        {
            throw new InvalidOperationException($"{executable} get printed no {{\"Username\",\"Secret\"}} JSON for {server}.");
        }
    }

    private static RegistryCredential Remember(RegistryCredential credential)
    {
        Log.Masker.Register(credential.Secret);
        return credential;
    }

    private static string ServerFor(string registry) => IsDockerHub(registry) ? DockerHubServer : registry;

    private static bool IsDockerHub(string registry)
        => registry is ImageReference.DefaultDomain or "index.docker.io" or "registry-1.docker.io";

    private static HashSet<string> KeysFor(string registry)
        => IsDockerHub(registry)
            ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "index.docker.io", "docker.io", "registry-1.docker.io" }
            : new HashSet<string>(StringComparer.OrdinalIgnoreCase) { registry };

    // "https://host:5000/v1/" and "host:5000" name the same registry.
    private static string NormaliseKey(string key)
    {
        var text = key;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var slash = text.IndexOf('/');
        return slash >= 0 ? text[..slash] : text;
    }
}
