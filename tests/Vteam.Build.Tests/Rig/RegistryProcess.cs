using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vteam.Build.Tests.Rig;

/// <summary>
/// A real OCI registry (`docker-registry serve`) on a free 127.0.0.1 port with a temporary config
/// and storage; killed and deleted on dispose.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RegistryProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }
    /// <summary>host:port, as used in image references.</summary>
    public string Host => $"127.0.0.1:{Port}";
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <param name="htpasswdFile">When given, the registry demands basic auth checked against this file.</param>
    /// <param name="extraYaml">Further top-level config sections (e.g. an auth: token block).</param>
    public static async Task<RegistryProcess> StartAsync(string? htpasswdFile = null, string? extraYaml = null, CancellationToken cancellationToken = default)
    {
        var binary = RigEnvironment.RegistryBinary
            ?? throw new InvalidOperationException("The docker-registry binary is not on PATH: apt-get install -y docker-registry (CI's .ci/run installs it).");
        var directory = Directory.CreateTempSubdirectory("registry-").FullName;
        var port = FreePort();
        var auth = htpasswdFile is null ? "" : $"auth:\n  htpasswd:\n    realm: rig\n    path: {htpasswdFile}\n";
        var config = $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {directory}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}{extraYaml}
            """;
        var configPath = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);

        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "serve", configPath },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var registry = new RegistryProcess(process, directory, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited)
                break;
            try
            {
                using var response = await http.GetAsync(new Uri(registry.BaseUri, "v2/"), cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return registry;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            await Task.Delay(100, cancellationToken);
        }
        await registry.DisposeAsync();
        string output;
        lock (log) output = log.ToString();
        throw new InvalidOperationException($"docker-registry did not answer on {registry.Host} within 20 s. Its output:\n{output}");
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
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
