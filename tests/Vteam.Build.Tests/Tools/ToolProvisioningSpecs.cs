using Vteam.Build.Engine;
using Vteam.Build.Tests.Support;
using Vteam.Build.Tools;
using Xunit;

namespace Vteam.Build.Tests.Tools;

/// <summary>build/tools.json, the provisioner (against a local HTTP server) and the locator's resolution order.</summary>
public class ToolProvisioningSpecs : IDisposable
{
    private const string File_ = "trivy_0.74.0_Linux-64bit.tar.gz";
    private readonly ReleaseServer _server = new();
    private readonly AbsolutePath _cache = new(Directory.CreateTempSubdirectory("tools-").FullName);
    private readonly byte[] _release = ReleaseServer.TarGz("trivy", "{\"Version\":\"0.74.0\"}");

    public ToolProvisioningSpecs() => _server.Add($"/releases/v0.74.0/{File_}", _release);

    public void Dispose() => _server.Dispose();

    private ToolCatalog Catalog(string? sha256, string minimum = "0.60.0") => ToolCatalog.Parse($$"""
        { "tools": { "trivy": {
            "version": "0.74.0", "minimumVersion": "{{minimum}}", "executable": "trivy",
            "downloadUrl": "{{_server.BaseUrl}}/releases/v{version}/{file}", "checksumsFile": "trivy_{version}_checksums.txt",
            "platforms": { "linux-x64": { "file": "trivy_{version}_Linux-64bit.tar.gz", "format": "tar.gz", "sha256": "{{sha256}}" } } } } }
        """, "tools.json");

    private ToolProvisioner Provisioner() => new(new HttpClient(), _cache, retryDelay: TimeSpan.FromMilliseconds(10));

    private ToolLocator Locator(ToolCatalog catalog, string? path = "")
        => new(catalog, Provisioner(), new ToolRunner(new SecretMasker()), () => path, "linux-x64");

    [Fact]
    public void The_checked_in_tools_file_pins_all_four_tools_with_their_real_release_names()
    {
        var catalog = ToolCatalog.Load(Path.Combine(RepositoryPaths.Root, "build", "tools.json"));

        Assert.Equal(["cosign", "syft", "trivy", "trufflehog"], catalog.Tools.Keys.Order());
        var trivy = catalog.Get("trivy");
        Assert.Equal("trivy_0.74.0_Linux-64bit.tar.gz", trivy.Expand(trivy.PackageFor("linux-x64")!.File));
        Assert.Equal("https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_macOS-ARM64.tar.gz",
            trivy.Expand(trivy.DownloadUrl, trivy.Expand(trivy.PackageFor("osx-arm64")!.File)));
        Assert.Equal("trivy_0.74.0_checksums.txt", trivy.Expand(trivy.ChecksumsFile!));
        var trufflehog = catalog.Get("trufflehog");
        Assert.Equal("trufflehog_3.97.0_windows_amd64.tar.gz", trufflehog.Expand(trufflehog.PackageFor("win-x64")!.File));
        var syft = catalog.Get("syft");
        Assert.Equal("syft_1.51.0_windows_amd64.zip", syft.Expand(syft.PackageFor("win-x64")!.File));
        var cosign = catalog.Get("cosign");
        Assert.Equal(("cosign-linux-amd64", "binary", "cosign_checksums.txt"), (cosign.PackageFor("linux-x64")!.File, cosign.PackageFor("linux-x64")!.Format, cosign.ChecksumsFile));
    }

    [Fact]
    public void A_malformed_pin_is_refused_naming_the_tool()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Catalog(sha256: "abc"));
        Assert.Contains("tool 'trivy': linux-x64: sha256 is not 64 hex digits", error.Message);
    }

    [Fact]
    public async Task A_download_with_the_pinned_checksum_is_installed_atomically_and_runs()
    {
        var path = await Provisioner().InstallAsync(Catalog(ReleaseServer.Sha256(_release)).Get("trivy"), "linux-x64", CancellationToken.None);

        Assert.Equal(Path.Combine(_cache, "trivy", "0.74.0", "trivy"), path);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(["0.74.0"], Directory.GetFileSystemEntries(Path.Combine(_cache, "trivy")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_download_with_a_wrong_checksum_installs_nothing()
    {
        var wrong = new string('0', 64);

        var error = await Assert.ThrowsAsync<ToolFailedException>(() => Provisioner().InstallAsync(Catalog(wrong).Get("trivy"), "linux-x64", CancellationToken.None));

        Assert.Contains($"has sha256 {ReleaseServer.Sha256(_release)}, but {wrong} was expected", error.Message);
        Assert.Contains("nothing was installed", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_cache, "trivy")));
    }

    [Fact]
    public async Task Without_a_pin_the_release_checksums_file_is_used_and_a_tampered_one_installs_nothing()
    {
        var catalog = Catalog(sha256: "");
        _server.Add("/releases/v0.74.0/trivy_0.74.0_checksums.txt", System.Text.Encoding.UTF8.GetBytes($"{new string('f', 64)}  other.tar.gz\n{new string('1', 64)}  {File_}\n"));

        await Assert.ThrowsAsync<ToolFailedException>(() => Provisioner().InstallAsync(catalog.Get("trivy"), "linux-x64", CancellationToken.None));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_cache, "trivy")));

        _server.Add("/releases/v0.74.0/trivy_0.74.0_checksums.txt", System.Text.Encoding.UTF8.GetBytes($"{ReleaseServer.Sha256(_release)}  {File_}\n"));
        Assert.True(File.Exists(await Provisioner().InstallAsync(catalog.Get("trivy"), "linux-x64", CancellationToken.None)));
    }

    [Fact]
    public async Task A_transient_server_error_is_retried()
    {
        _server.FailFirst($"/releases/v0.74.0/{File_}", 2);

        var path = await Provisioner().InstallAsync(Catalog(ReleaseServer.Sha256(_release)).Get("trivy"), "linux-x64", CancellationToken.None);

        Assert.True(File.Exists(path));
        Assert.Equal(3, _server.Requests.Count(r => r.EndsWith(File_)));
    }

    [Fact]
    public async Task The_locator_downloads_once_then_finds_the_cached_copy()
    {
        var catalog = Catalog(ReleaseServer.Sha256(_release));

        var first = await Locator(catalog).LocateAsync("trivy", null, offline: false, CancellationToken.None);
        var second = await Locator(catalog).LocateAsync("trivy", null, offline: true, CancellationToken.None);

        Assert.Equal((ToolSource.Download, "0.74.0"), (first.Source, first.Version.ToString()));
        Assert.Equal((ToolSource.Cache, first.Path), (second.Source, second.Path));
        Assert.Single(_server.Requests, r => r.EndsWith(File_));
    }

    [Fact]
    public async Task The_path_parameter_comes_first_then_PATH()
    {
        var catalog = Catalog(null);

        var fromParameter = await Locator(catalog, FakeToolbox.BinDirectory).LocateAsync("trivy", FakeToolbox.Script("trivy"), false, CancellationToken.None);
        var fromPath = await Locator(catalog, $"/nonexistent{Path.PathSeparator}{FakeToolbox.BinDirectory}").LocateAsync("trivy", null, false, CancellationToken.None);

        Assert.Equal(ToolSource.Parameter, fromParameter.Source);
        Assert.Equal((ToolSource.Path, FakeToolbox.PathOf("trivy"), "0.74.0"), (fromPath.Source, fromPath.Path, fromPath.Version.ToString()));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Offline_with_nothing_installed_one_error_lists_everything_tried()
    {
        var tooOld = FakeToolbox.Script("trivy", new Dictionary<string, string> { ["FAKE_TRIVY_VERSION"] = "0.50.1" });

        var error = await Assert.ThrowsAsync<ToolFailedException>(() =>
            Locator(Catalog(null), Path.GetDirectoryName(tooOld)).LocateAsync("trivy", null, offline: true, CancellationToken.None));

        Assert.Contains("trivy (version 0.60.0 or newer; pinned 0.74.0) was not found. Tried:", error.Message);
        Assert.Contains("--trivy-path / TRIVY_PATH: not set", error.Message);
        Assert.Contains($"PATH: {tooOld} is version 0.50.1, older than the minimum 0.60.0", error.Message);
        Assert.Contains($"cache: {Path.Combine(_cache, "trivy", "0.74.0", "trivy")} does not exist", error.Message);
        Assert.Contains("not attempted, --offline forbids downloads", error.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_named_path_that_does_not_exist_is_the_error_not_a_silent_fallback()
    {
        var error = await Assert.ThrowsAsync<ToolFailedException>(() =>
            Locator(Catalog(null), FakeToolbox.BinDirectory).LocateAsync("trivy", "/opt/trivy/bin/trivy", false, CancellationToken.None));

        Assert.Contains("--trivy-path / TRIVY_PATH: /opt/trivy/bin/trivy does not exist", error.Message);
    }
}
