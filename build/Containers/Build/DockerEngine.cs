using Docker.DotNet;
using Docker.DotNet.Models;

namespace Vteam.Build.Containers.Build;

/// <summary>The Docker engine named by DOCKER_HOST (default unix:///var/run/docker.sock), checked to answer before any work.</summary>
public static class DockerEngine
{
    public const string DefaultHost = "unix:///var/run/docker.sock";

    public static string HostFromEnvironment()
        => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : DefaultHost;

    /// <summary>A client for the engine at <paramref name="host"/>, after a ping; a clear message when it does not answer.</summary>
    public static async Task<DockerClient> ConnectAsync(string? host = null, CancellationToken cancellationToken = default)
    {
        host ??= HostFromEnvironment();
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe"))
            throw new InvalidOperationException($"DOCKER_HOST '{host}' is not an engine address. Use unix:///var/run/docker.sock, tcp://host:2375 or npipe:////./pipe/docker_engine.");

        if (uri.Scheme == "unix" && !File.Exists(uri.LocalPath) && !Directory.Exists(uri.LocalPath))
            throw new DockerEngineUnavailableException(host, $"there is no socket at {uri.LocalPath}", null);
        var client = new DockerClientConfiguration(uri, defaultTimeout: TimeSpan.FromMinutes(5)).CreateClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await client.System.PingAsync(timeout.Token);
            return client;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or TimeoutException or OperationCanceledException or DockerApiException or IOException or System.Net.Sockets.SocketException)
        {
            client.Dispose();
            throw new DockerEngineUnavailableException(host, Innermost(e), e);
        }
    }

    /// <summary>The engine's words for a failed request, without the HTTP wrapper's.</summary>
    internal static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e is DockerApiException api ? api.ResponseBody.Trim() : e.Message;
    }
}

public sealed class DockerEngineUnavailableException(string host, string reason, Exception? inner)
    : Exception(
        $"The Docker engine at {host} does not answer ({reason}). Start one (`sudo systemctl start docker`, or as root " +
        "`dockerd &`; on macOS/Windows start Docker Desktop), or point DOCKER_HOST at a running engine " +
        $"(default {DockerEngine.DefaultHost}).", inner)
{
    public string Host { get; } = host;
}

/// <summary>Passes each message on synchronously, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class EngineMessages(Action<EngineMessage> report) : IProgress<JSONMessage>
{
    public void Report(JSONMessage value) => report(Convert(value));

    internal static EngineMessage Convert(JSONMessage m)
    {
        Dictionary<string, string>? aux = null;
        if (m.Aux?.ExtensionData is { Count: > 0 } data)
            aux = data.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => System.Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        var error = m.Error?.Message is { Length: > 0 } detail ? detail : m.ErrorMessage is { Length: > 0 } message ? message : null;
        return new EngineMessage(m.Stream, m.Status, m.ID, m.ProgressMessage, error, aux);
    }
}
