using System.Diagnostics;
using System.Text;
using Vteam.Build.Containers;
using Vteam.Build.Containers.Registry;
using Vteam.Build.Tests.Containers.RegistryRig;
using Xunit;

namespace Vteam.Build.Tests.Containers;

/// <summary>One plain registry (and a fault proxy in front of it) shared by the tests of a class.</summary>
public sealed class PlainRegistryFixture : IAsyncLifetime
{
    public LocalRegistry Registry { get; private set; } = null!;
    public FaultProxy Proxy { get; private set; } = null!;
    public TestImagePusher Pusher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!LocalRegistry.IsInstalled) return;
        Registry = await LocalRegistry.StartAsync();
        Proxy = await FaultProxy.StartAsync(Registry.BaseUri);
        Pusher = new TestImagePusher(Registry.BaseUri);
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null) await Proxy.DisposeAsync();
        if (Registry is not null) await Registry.DisposeAsync();
        Pusher?.Dispose();
    }
}

public class RegistryClientSpecs(PlainRegistryFixture rig) : IClassFixture<PlainRegistryFixture>
{
    private static readonly RegistryOptions Fast = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(2),
    };

    [RegistryFact]
    public async Task I_can_resolve_a_tag_to_the_digest_the_registry_computed()
    {
        var pushed = await rig.Pusher.PushImageAsync("team/app", "1.0");
        using var client = new RegistryClient(Fast);

        var resolution = await client.ResolveAsync(ImageReference.Parse($"{rig.Registry.Host}/team/app:1.0"), null, default);

        Assert.Equal(pushed, resolution.Digest);
        Assert.Equal(MediaTypes.OciManifest, resolution.MediaType);
        Assert.Equal(1, resolution.Requests);
    }

    [RegistryFact]
    public async Task I_can_resolve_a_Docker_v2_manifest()
    {
        var pushed = await rig.Pusher.PushImageAsync("team/docker", "v2", mediaType: TestImagePusher.DockerManifest);
        using var client = new RegistryClient(Fast);

        var resolution = await client.ResolveAsync(ImageReference.Parse($"{rig.Registry.Host}/team/docker:v2"), null, default);

        Assert.Equal((pushed, MediaTypes.DockerManifest), (resolution.Digest, resolution.MediaType));
    }

    [RegistryFact]
    public async Task A_multi_platform_index_pins_the_index_unless_a_platform_is_asked_for()
    {
        var (index, platforms) = await rig.Pusher.PushIndexAsync("team/multi", "2.0", "linux/amd64", "linux/arm64/v8");
        using var client = new RegistryClient(Fast);
        var reference = ImageReference.Parse($"{rig.Registry.Host}/team/multi:2.0");

        var byDefault = await client.ResolveAsync(reference, null, default);
        var arm = await client.ResolveAsync(reference, Platform.Parse("linux/arm64"), default);
        var amd = await client.ResolveAsync(reference, Platform.Parse("linux/amd64"), default);

        Assert.Equal((index, MediaTypes.OciIndex), (byDefault.Digest, byDefault.MediaType));
        Assert.Equal(platforms["linux/arm64/v8"], arm.Digest);
        Assert.Equal(platforms["linux/amd64"], amd.Digest);
        Assert.NotEqual(arm.Digest, amd.Digest);
    }

    [RegistryFact]
    public async Task A_platform_the_index_lacks_fails_naming_the_platforms_it_has()
    {
        await rig.Pusher.PushIndexAsync("team/two", "1", "linux/amd64", "linux/arm64/v8");
        using var client = new RegistryClient(Fast);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(ImageReference.Parse($"{rig.Registry.Host}/team/two:1"), Platform.Parse("linux/s390x"), default));

        Assert.Contains("has no manifest for linux/s390x; it has linux/amd64, linux/arm64/v8", error.Message);
    }

    [RegistryFact]
    public async Task An_unknown_tag_fails_with_the_name_and_tag()
    {
        await rig.Pusher.PushImageAsync("team/known", "1");
        using var client = new RegistryClient(Fast);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(ImageReference.Parse($"{rig.Registry.Host}/team/known:nope"), null, default));

        Assert.Contains($"{rig.Registry.Host} has no manifest for 'nope' in team/known", error.Message);
    }

    [RegistryFact]
    public async Task A_pinned_reference_is_checked_against_the_registry()
    {
        var pushed = await rig.Pusher.PushImageAsync("team/pinned", "1");
        using var client = new RegistryClient(Fast);

        var resolution = await client.ResolveAsync(ImageReference.Parse($"{rig.Registry.Host}/team/pinned:1@{pushed}"), null, default);

        Assert.Equal(pushed, resolution.Digest);
    }

    [RegistryFact]
    public async Task A_docker_io_reference_resolves_through_its_mirror()
    {
        var pushed = await rig.Pusher.PushImageAsync("library/alpine", "3.20");
        using var client = new RegistryClient(Fast with { Mirrors = RegistryOptions.ParseMirrors([$"docker.io={rig.Registry.Host}"]) });

        var resolution = await client.ResolveAsync(ImageReference.Parse("alpine:3.20"), null, default);

        Assert.Equal(pushed, resolution.Digest);
        Assert.Equal("alpine:3.20", resolution.Reference.Familiar);
    }

    [RegistryFact]
    public async Task Each_distinct_reference_is_resolved_once_per_run()
    {
        await rig.Pusher.PushImageAsync("team/once", "1");
        using var client = new RegistryClient(Fast);
        var resolver = new ImageResolver(client);
        var before = rig.Proxy.Requests;
        var reference = ImageReference.Parse($"{rig.Proxy.Host}/team/once:1");

        var results = await resolver.ResolveAllAsync([(reference, null), (reference, null), (ImageReference.Parse($"{rig.Proxy.Host}/team/once:1"), null)], default);
        await resolver.ResolveAsync(reference, null, default);

        Assert.Single(results);
        Assert.Equal(1, resolver.Lookups);
        Assert.Equal(1, rig.Proxy.Requests - before);
    }

    [RegistryFact]
    public async Task No_more_requests_than_the_limit_reach_a_registry_at_once()
    {
        for (var i = 0; i < 8; i++) await rig.Pusher.PushImageAsync("team/limit", $"t{i}");
        await using var slow = await FaultProxy.StartAsync(rig.Registry.BaseUri, TimeSpan.FromMilliseconds(100));
        using var client = new RegistryClient(Fast with { MaxConcurrencyPerRegistry = 3 });
        var resolver = new ImageResolver(client);

        var results = await resolver.ResolveAllAsync(Enumerable.Range(0, 8).Select(i => (ImageReference.Parse($"{slow.Host}/team/limit:t{i}"), (Platform?)null)), default);

        Assert.All(results.Values, r => Assert.NotNull(r.Digest));
        Assert.Equal(3, slow.MaxInFlight);
    }

    [RegistryFact]
    public async Task A_429_with_Retry_After_is_waited_out_and_then_resolved()
    {
        var pushed = await rig.Pusher.PushImageAsync("team/busy", "1");
        rig.Proxy.Enqueue(new Fault.Status(429, RetryAfter: "1"));
        using var client = new RegistryClient(Fast);
        var clock = Stopwatch.StartNew();

        var resolution = await client.ResolveAsync(ImageReference.Parse($"{rig.Proxy.Host}/team/busy:1"), null, default);

        Assert.Equal(pushed, resolution.Digest);
        Assert.Equal(2, resolution.Requests);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(5));
    }

    [RegistryFact]
    public async Task Server_errors_resets_and_a_stalled_answer_are_retried()
    {
        var pushed = await rig.Pusher.PushImageAsync("team/flaky", "1");
        rig.Proxy.Enqueue(new Fault.Status(500), new Fault.Status(503), new Fault.Reset(), new Fault.Stall());
        using var client = new RegistryClient(Fast with { RequestTimeout = TimeSpan.FromMilliseconds(500) });

        var resolution = await client.ResolveAsync(ImageReference.Parse($"{rig.Proxy.Host}/team/flaky:1"), null, default);

        Assert.Equal(pushed, resolution.Digest);
        Assert.Equal(5, resolution.Requests);
    }

    [RegistryFact]
    public async Task A_registry_that_keeps_failing_fails_with_the_attempts_and_the_last_error()
    {
        await rig.Pusher.PushImageAsync("team/down", "1");
        rig.Proxy.Enqueue(Enumerable.Repeat<Fault>(new Fault.Status(503), 3).ToArray());
        using var client = new RegistryClient(Fast with { MaxAttempts = 3 });

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(ImageReference.Parse($"{rig.Proxy.Host}/team/down:1"), null, default));

        Assert.Contains("gave up after 3 attempts, the last failed with 503 Service Unavailable", error.Message);
        Assert.Contains(rig.Proxy.Host, error.Message);
    }

    [RegistryFact]
    public async Task A_Retry_After_longer_than_the_build_waits_fails_at_once()
    {
        await rig.Pusher.PushImageAsync("team/later", "1");
        rig.Proxy.Enqueue(new Fault.Status(429, RetryAfter: "3600"));
        using var client = new RegistryClient(Fast);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(ImageReference.Parse($"{rig.Proxy.Host}/team/later:1"), null, default));

        Assert.Contains("asks to retry after 3600 s", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }
}
