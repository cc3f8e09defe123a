using System.Diagnostics;
using Vteam.Build.Tests.Rig;

namespace Vteam.Build.Tests.Containers.RegistryRig;

/// <summary>How a <see cref="LocalRegistry"/> authenticates: not at all, htpasswd (basic), or tokens from a token service.</summary>
public abstract record RegistryAuth
{
    public sealed record None : RegistryAuth;
    public sealed record Htpasswd(string User, string Password) : RegistryAuth;
    public sealed record Token(string Realm, string Service, string Issuer, string CertificateBundle) : RegistryAuth;
}

/// <summary>
/// A real distribution registry on a loopback port (the rig's <see cref="RegistryProcess"/>), set up with
/// one of the authentication schemes the registry client must handle.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly RegistryProcess _process;
    private readonly string? _folder;

    private LocalRegistry(RegistryProcess process, string? folder)
    {
        _process = process;
        _folder = folder;
    }

    public int Port => _process.Port;
    public string Host => _process.Host;
    public Uri BaseUri => _process.BaseUri;

    public static bool IsInstalled => File.Exists(Binary);

    public static async Task<LocalRegistry> StartAsync(RegistryAuth? auth = null)
    {
        if (!IsInstalled) throw new InvalidOperationException($"{Binary} is missing: apt-get install docker-registry.");
        switch (auth)
        {
            case RegistryAuth.Htpasswd htpasswd:
                var folder = Directory.CreateTempSubdirectory("registry-auth-").FullName;
                var file = Path.Combine(folder, "htpasswd");
                await CreateHtpasswdAsync(file, htpasswd.User, htpasswd.Password);
                return new LocalRegistry(await RegistryProcess.StartAsync(htpasswdFile: file), folder);
            case RegistryAuth.Token token:
                var yaml = $"auth:\n  token:\n    realm: {token.Realm}\n    service: {token.Service}\n    issuer: {token.Issuer}\n    rootcertbundle: {token.CertificateBundle}\n";
                return new LocalRegistry(await RegistryProcess.StartAsync(extraYaml: yaml), null);
            default:
                return new LocalRegistry(await RegistryProcess.StartAsync(), null);
        }
    }

    private static async Task CreateHtpasswdAsync(string file, string user, string password)
    {
        var start = new ProcessStartInfo("htpasswd") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "-B", "-c", "-i", file, user }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("htpasswd did not start: apt-get install apache2-utils.");
        await process.StandardInput.WriteAsync(password);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"htpasswd failed: {await process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (_folder is not null)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
