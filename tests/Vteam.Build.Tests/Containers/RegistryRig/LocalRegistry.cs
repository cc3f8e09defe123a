using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vteam.Build.Tests.Containers.RegistryRig;

/// <summary>How a <see cref="LocalRegistry"/> authenticates: not at all, htpasswd (basic), or tokens from a token service.</summary>
public abstract record RegistryAuth
{
    public sealed record None : RegistryAuth;
    public sealed record Htpasswd(string User, string Password) : RegistryAuth;
    public sealed record Token(string Realm, string Service, string Issuer, string CertificateBundle) : RegistryAuth;
}

/// <summary>
/// A real distribution registry (`docker-registry serve`) on a loopback port with filesystem storage in a
/// temporary folder; stopped and deleted on dispose. (Local to Containers until the lead's RegistryRig lands.)
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly string _folder;

    private LocalRegistry(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }
    public string Host => $"127.0.0.1:{Port}";
    public Uri BaseUri => new($"http://{Host}/");
    public string LogFile => Path.Combine(_folder, "registry.log");

    public static bool IsInstalled => File.Exists(Binary);

    public static async Task<LocalRegistry> StartAsync(RegistryAuth? auth = null)
    {
        if (!IsInstalled) throw new InvalidOperationException($"{Binary} is missing: apt-get install docker-registry.");
        var folder = Directory.CreateTempSubdirectory("registry-").FullName;
        var port = FreePort();
        var config = new StringBuilder($"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(folder, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """).Append('\n');
        switch (auth)
        {
            case RegistryAuth.Htpasswd htpasswd:
                var file = Path.Combine(folder, "htpasswd");
                await CreateHtpasswdAsync(file, htpasswd.User, htpasswd.Password);
                config.Append($"auth:\n  htpasswd:\n    realm: test-registry\n    path: {file}\n");
                break;
            case RegistryAuth.Token token:
                config.Append($"auth:\n  token:\n    realm: {token.Realm}\n    service: {token.Service}\n    issuer: {token.Issuer}\n    rootcertbundle: {token.CertificateBundle}\n");
                break;
        }
        var configFile = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());

        var log = Path.Combine(folder, "registry.log");
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configFile);
        var process = Process.Start(start)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var registry = new LocalRegistry(process, folder, port);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {process.ExitCode}: {SafeRead(log)}");
            try
            {
                var response = await http.GetAsync(new Uri(registry.BaseUri, "v2/"));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return registry;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline)
            {
                await registry.DisposeAsync();
                throw new TimeoutException($"docker-registry did not answer on {registry.Host} within 20 s: {SafeRead(log)}");
            }
            await Task.Delay(50);
        }
    }

    private static string SafeRead(string path)
    {
        try { using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); return new StreamReader(stream).ReadToEnd(); }
        catch (IOException) { return ""; }
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
