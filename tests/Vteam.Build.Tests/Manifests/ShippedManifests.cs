using System.Text.RegularExpressions;
using Vteam.Build.Engine;
using Vteam.Build.Policy.Manifests;
using Vteam.Build.Tests.Support;
using Xunit;

namespace Vteam.Build.Tests.Manifests;

/// <summary>A private copy of components/manifests that a test may change, and the check run on it.</summary>
internal sealed partial class ShippedManifests
{
    /// <summary>A digest made up by the tests (not any real image's): it stands for what a release pins.</summary>
    public const string TestDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private ShippedManifests(string root) => Root = root;

    /// <summary>The copy's repository root; the manifests are at components/manifests below it.</summary>
    public string Root { get; }
    public string Directory => Path.Combine(Root, "components", "manifests");

    public static ShippedManifests Copy()
    {
        var source = Path.Combine(RepositoryPaths.Root, "components", "manifests");
        Assert.True(System.IO.Directory.Exists(source), $"The shipped manifests are missing at {source}.");
        var root = System.IO.Directory.CreateTempSubdirectory("manifests-").FullName;
        var target = Path.Combine(root, "components", "manifests");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return new ShippedManifests(root);
    }

    [GeneratedRegex(@"(image: quay\.io/ambient_code/\w+):[\w.-]+")]
    private static partial Regex TaggedImage();

    /// <summary>Pins every image as a release does, so the copy starts with no finding at all.</summary>
    public ShippedManifests PinImages()
    {
        foreach (var file in YamlFiles())
            File.WriteAllText(file, TaggedImage().Replace(File.ReadAllText(file), $"$1@{TestDigest}"));
        return this;
    }

    public IEnumerable<string> YamlFiles() => System.IO.Directory.EnumerateFiles(Directory, "*.yaml", SearchOption.AllDirectories);

    public string PathOf(string relative) => Path.Combine(Directory, relative);
    public string Read(string relative) => File.ReadAllText(PathOf(relative));
    public void Write(string relative, string text) => File.WriteAllText(PathOf(relative), text);

    /// <summary>The path findings carry for a file of the copy.</summary>
    public static string Display(string relative) => "components/manifests/" + relative;

    public ManifestSet Load() => ManifestLoader.Load(new AbsolutePath(Directory), new AbsolutePath(Root));

    public ManifestCheckReport Check(ManifestCheckOptions? options = null) => ManifestChecker.Check(Load(), options);
}
