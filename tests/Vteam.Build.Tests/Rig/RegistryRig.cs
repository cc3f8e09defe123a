using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit;

namespace Vteam.Build.Tests.Rig;

/// <summary>
/// The integration rig shared by every test in <see cref="RigCollection"/>: the Docker engine at
/// DOCKER_HOST, a registry of our own on 127.0.0.1, and a busybox base image pushed to it, so tests
/// build <c>FROM {BaseImage}</c> (or <see cref="BaseImagePinned"/>) without any network.
/// </summary>
public sealed class RegistryRig : IAsyncLifetime
{
    private RegistryProcess? _registry;
    private DockerClient? _docker;

    public DockerClient Docker => _docker ?? throw new InvalidOperationException("The rig is not started.");
    public RegistryProcess Registry => _registry ?? throw new InvalidOperationException("The rig is not started.");
    /// <summary>host:port of the rig's registry.</summary>
    public string RegistryHost => Registry.Host;
    /// <summary>{registry}/base:1, a busybox image.</summary>
    public string BaseImage => $"{RegistryHost}/base:1";
    /// <summary>The manifest digest of <see cref="BaseImage"/> in the registry.</summary>
    public string BaseImageDigest { get; private set; } = "";
    public string BaseImagePinned => $"{BaseImage}@{BaseImageDigest}";

    public async Task InitializeAsync()
    {
        var missing = RigEnvironment.Missing();
        if (missing is not null)
            throw new InvalidOperationException($"The integration rig cannot start: {missing}.");

        _docker = new DockerClientConfiguration(new Uri(RigEnvironment.DockerHost)).CreateClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _docker.System.PingAsync(timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException or DockerApiException or IOException)
        {
            throw new InvalidOperationException(
                $"The Docker engine at {RigEnvironment.DockerHost} does not answer ({e.Message}). Start it: dockerd --storage-driver vfs --iptables=false --bridge=none &", e);
        }

        _registry = await RegistryProcess.StartAsync();
        BaseImageDigest = await ImportBusyboxAsync(Docker, BaseImage);
    }

    /// <summary>Makes a busybox image from the host's busybox-static with `docker import`, pushes it, returns its digest.</summary>
    public static async Task<string> ImportBusyboxAsync(DockerClient docker, string reference, CancellationToken cancellationToken = default)
    {
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("busybox is missing: apt-get install -y busybox-static");

        using var rootfs = new MemoryStream();
        await using (var tar = new TarWriter(rootfs, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var directory in new[] { "bin/", "etc/", "tmp/", "root/" })
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = (UnixFileMode)Convert.ToInt32("755", 8) }, cancellationToken);
            await tar.WriteEntryAsync(busybox, "bin/busybox", cancellationToken);
            foreach (var applet in new[] { "sh", "cat", "echo", "ls", "true", "false", "sleep", "mkdir", "cp", "rm", "env", "test", "wc", "sha256sum", "id", "touch", "grep", "head", "tail", "date" })
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{applet}") { LinkName = "busybox" }, cancellationToken);
            var passwd = new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd")
            {
                DataStream = new MemoryStream("root:x:0:0:root:/root:/bin/sh\napp:x:1001:1001:app:/tmp:/bin/sh\n"u8.ToArray()),
            };
            await tar.WriteEntryAsync(passwd, cancellationToken);
        }
        rootfs.Position = 0;

        var (repository, tag) = SplitTag(reference);
        await docker.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = repository, Tag = tag },
            rootfs, new AuthConfig(), new Progress<JSONMessage>(), cancellationToken);

        string? digest = null;
        string? error = null;
        await docker.Images.PushImageAsync(reference, new ImagePushParameters { Tag = tag }, new AuthConfig(),
            new SyncProgress(m =>
            {
                if (m.Error is not null) error = m.Error.Message;
                if (m.Aux?.ExtensionData?.TryGetValue("Digest", out var d) == true) digest = d?.ToString();
            }), cancellationToken);
        if (error is not null) throw new InvalidOperationException($"Pushing {reference} failed: {error}");
        return digest ?? throw new InvalidOperationException($"Pushing {reference} reported no digest.");
    }

    public static (string Repository, string Tag) SplitTag(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        _docker?.Dispose();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the push result must be read synchronously.</summary>
    private sealed class SyncProgress(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}

[CollectionDefinition(Name)]
public sealed class RigCollection : ICollectionFixture<RegistryRig>
{
    public const string Name = "rig";
}
