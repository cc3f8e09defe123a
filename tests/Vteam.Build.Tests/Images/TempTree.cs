namespace Vteam.Build.Tests.Images;

/// <summary>A temporary directory filled from (relative path, content) pairs.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree(params (string Path, string Content)[] files)
    {
        Root = Directory.CreateTempSubdirectory("images-").FullName;
        foreach (var (path, content) in files) Write(path, content);
    }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    public string Write(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
