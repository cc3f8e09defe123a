using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Vteam.Build.Tests.Tools;

/// <summary>A minimal `docker save` tarball (manifest.json, config, one layer), for scans that need no engine.</summary>
public static class DockerArchive
{
    public static string Write(string path, string repoTag = "vteam/backend:test")
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}""");
        var configName = Convert.ToHexStringLower(SHA256.HashData(config)) + ".json";
        var manifest = Encoding.UTF8.GetBytes($$"""[{"Config":"{{configName}}","RepoTags":["{{repoTag}}"],"Layers":[]}]""");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        using var tar = new TarWriter(file);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, configName) { DataStream = new MemoryStream(config) });
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(manifest) });
        return path;
    }
}
