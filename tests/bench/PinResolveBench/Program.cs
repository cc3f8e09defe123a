using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Vteam.Build.Containers;
using Vteam.Build.Containers.Registry;
using Vteam.Build.Tests.Containers.RegistryRig;

// Resolves 50 distinct references on a local docker-registry behind a proxy that adds 50 ms to every
// request: once with our resolver (all at once, bounded per registry), once with skopeo one by one.
const int References = 50;
var latency = TimeSpan.FromMilliseconds(50);
var concurrency = args.FirstOrDefault(a => a.All(char.IsAsciiDigit)) is { } given ? int.Parse(given) : new RegistryOptions().MaxConcurrencyPerRegistry;

await using var registry = await LocalRegistry.StartAsync();
using var pusher = new TestImagePusher(registry.BaseUri);
var expected = new Dictionary<string, string>();
for (var i = 0; i < References; i++)
    expected[$"bench/image-{i:00}:1"] = await pusher.PushImageAsync($"bench/image-{i:00}", "1");
await pusher.PushImageAsync("bench/warm-up", "1");
await using var proxy = await FaultProxy.StartAsync(registry.BaseUri, latency);
var references = expected.Keys.Select(k => ImageReference.Parse($"{proxy.Host}/{k}")).ToList();

// Warm-up on another reference, so the figure is the resolver's and not the JIT's.
using (var warm = new RegistryClient())
    await warm.ResolveAsync(ImageReference.Parse($"{proxy.Host}/bench/warm-up:1"), null, default);

// Five runs, each with a new client (no connections, tokens or results carried over); the median counts.
var runs = new List<TimeSpan>();
var oursRequests = 0;
var clock = new Stopwatch();
for (var run = 0; run < 5; run++)
{
    var before = proxy.Requests;
    using var client = new RegistryClient(new RegistryOptions { MaxConcurrencyPerRegistry = concurrency });
    var resolver = new ImageResolver(client);
    clock.Restart();
    var ours = await resolver.ResolveAllAsync(references.Select(r => (r, (Platform?)null)), default);
    runs.Add(clock.Elapsed);
    oursRequests = proxy.Requests - before;
    foreach (var (key, lookup) in ours)
        if (lookup.Digest != expected[key.Reference.Path + ":1"])
            throw new InvalidOperationException($"{key.Reference}: resolved {lookup.Digest ?? lookup.Error}, pushed {expected[key.Reference.Path + ":1"]}");
}
var oursTime = runs.Order().ElementAt(runs.Count / 2);

var skopeoBefore = proxy.Requests;
clock.Restart();
var skipSkopeo = args.Contains("--no-skopeo");
foreach (var reference in skipSkopeo ? [] : references)
{
    var result = await Cli.Wrap("skopeo")
        .WithArguments(a => a.Add("inspect").Add("--tls-verify=false").Add("--format").Add("{{.Digest}}").Add($"docker://{reference.Familiar}"))
        .WithValidation(CommandResultValidation.None)
        .ExecuteBufferedAsync();
    if (result.ExitCode != 0 || result.StandardOutput.Trim() != expected[reference.Path + ":1"])
        throw new InvalidOperationException($"skopeo inspect {reference} failed ({result.ExitCode}): {result.StandardOutput}{result.StandardError}");
}
var skopeoTime = clock.Elapsed;
var skopeoRequests = proxy.Requests - skopeoBefore;

var floor = TimeSpan.FromMilliseconds(oursRequests * latency.TotalMilliseconds / concurrency);
Console.WriteLine($"references            {References} distinct, proxy latency {latency.TotalMilliseconds:0} ms per request");
Console.WriteLine($"load average          {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
Console.WriteLine($"ours (median of 5)    {oursTime.TotalMilliseconds,8:0} ms  ({oursRequests} requests, concurrency {concurrency} per registry; runs {string.Join(", ", runs.Select(r => r.TotalMilliseconds.ToString("0")))} ms)");
Console.WriteLine($"skopeo one by one     {skopeoTime.TotalMilliseconds,8:0} ms  ({skopeoRequests} requests through the proxy)");
Console.WriteLine($"ratio skopeo/ours     {skopeoTime / oursTime,8:0.0}x   (goal >= 10x)");
Console.WriteLine($"floor                 {floor.TotalMilliseconds,8:0} ms  (round trips {oursRequests} x {latency.TotalMilliseconds:0} ms / concurrency {concurrency})");
Console.WriteLine($"ours/floor            {oursTime / floor,8:0.00}x   (goal <= 2x)");
