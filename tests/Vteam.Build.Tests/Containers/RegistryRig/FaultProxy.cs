using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vteam.Build.Tests.Containers.RegistryRig;

/// <summary>What the proxy does to one request instead of (or before) forwarding it.</summary>
public abstract record Fault
{
    public sealed record Status(int Code, string? RetryAfter = null) : Fault;
    /// <summary>Closes the connection without an answer.</summary>
    public sealed record Reset : Fault;
    /// <summary>Holds the request open and never answers.</summary>
    public sealed record Stall : Fault;
}

/// <summary>
/// An HTTP proxy in front of a registry: forwards every request, after a fixed latency, and applies
/// scripted faults to the next requests (429 with Retry-After, 5xx, a reset, a stall).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly string[] SkippedHeaders = ["Transfer-Encoding", "Connection", "Keep-Alive"];
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;

    private FaultProxy(WebApplication app, Uri upstream, TimeSpan latency)
    {
        _app = app;
        Latency = latency;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 256 }) { BaseAddress = upstream };
    }

    public TimeSpan Latency { get; set; }
    public int Requests => _requests;
    /// <summary>The most requests that were in flight at once.</summary>
    public int MaxInFlight => _maxInFlight;
    public Uri BaseUri { get; private set; } = null!;
    public string Host => BaseUri.Authority;

    public void Enqueue(params Fault[] faults)
    {
        foreach (var fault in faults) _faults.Enqueue(fault);
    }

    public static async Task<FaultProxy> StartAsync(Uri upstream, TimeSpan? latency = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        var proxy = new FaultProxy(app, upstream, latency ?? TimeSpan.Zero);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy.BaseUri = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1") + "/");
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while (inFlight > (seen = _maxInFlight) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen) { }
        try
        {
            await ForwardAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ForwardAsync(HttpContext context)
    {
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, context.RequestAborted);
        if (_faults.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case Fault.Status status:
                    context.Response.StatusCode = status.Code;
                    if (status.RetryAfter is not null) context.Response.Headers.RetryAfter = status.RetryAfter;
                    await context.Response.WriteAsync($"{{\"errors\":[{{\"code\":\"INJECTED\",\"message\":\"injected {status.Code}\"}}]}}");
                    return;
                case Fault.Reset:
                    context.Abort();
                    return;
                case Fault.Stall:
                    try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
                    return;
            }
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(context.Request.Body);
        foreach (var header in context.Request.Headers)
        {
            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (SkippedHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase)) continue;
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }
        if (!HttpMethods.IsHead(context.Request.Method))
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
