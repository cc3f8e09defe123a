using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Vteam.Build.Tests.Tools;

/// <summary>A tiny release host on 127.0.0.1 (HttpListener): serves files by path, can fail the first requests.</summary>
public sealed class ReleaseServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new(StringComparer.Ordinal);

    public ReleaseServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }
    public ConcurrentQueue<string> Requests { get; } = new();

    public void Add(string path, byte[] content) => _files[path] = content;
    public void FailFirst(string path, int times) => _failuresLeft[path] = times;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue(path);
            if (_failuresLeft.TryGetValue(path, out var left) && left > 0)
            {
                _failuresLeft[path] = left - 1;
                context.Response.StatusCode = 503;
            }
            else if (_files.TryGetValue(path, out var content))
            {
                context.Response.StatusCode = 200;
                await context.Response.OutputStream.WriteAsync(content);
            }
            else context.Response.StatusCode = 404;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();

    /// <summary>A release tarball holding an executable script named <paramref name="executable"/> that prints <paramref name="versionOutput"/>.</summary>
    public static byte[] TarGz(string executable, string versionOutput)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "README.md") { DataStream = new MemoryStream("readme"u8.ToArray()) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, executable)
            {
                Mode = (UnixFileMode)Convert.ToInt32("644", 8),
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"#!/bin/sh\necho '{versionOutput}'\n")),
            });
        }
        return buffer.ToArray();
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
