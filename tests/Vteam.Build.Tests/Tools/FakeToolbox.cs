using System.Text;
using Vteam.Build.Engine;
using Vteam.Build.Tools;

namespace Vteam.Build.Tests.Tools;

/// <summary>
/// The strict fakes (tests/FakeTools) as tests use them: fake-bin/ beside the test assembly holds the
/// wrappers named trivy, trufflehog; <see cref="Script"/> writes a per-test wrapper that sets the
/// FAKE_* behaviour, so tests never touch the process environment.
/// </summary>
public static class FakeToolbox
{
    public static string BinDirectory { get; } = Prepare();

    public static string PathOf(string tool) => Path.Combine(BinDirectory, tool);

    /// <summary>A wrapper named <paramref name="tool"/> in its own folder that runs the fake with these variables.</summary>
    public static string Script(string tool, IReadOnlyDictionary<string, string>? environment = null, string? directory = null)
    {
        directory ??= Directory.CreateTempSubdirectory($"fake-{tool}-").FullName;
        Directory.CreateDirectory(directory);
        var script = new StringBuilder("#!/bin/sh\n");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            script.Append($"export {name}='{value.Replace("'", "'\\''")}'\n");
        script.Append($"exec '{PathOf(tool)}' \"$@\"\n");
        var path = Path.Combine(directory, tool);
        File.WriteAllText(path, script.ToString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        return path;
    }

    public static LocatedTool Located(string tool, string path, string version)
        => new(tool, path, ToolVersion.Parse(version), ToolSource.Parameter);

    private static string Prepare()
    {
        var bin = Path.Combine(AppContext.BaseDirectory, "fake-bin");
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "FakeTools.dll")) || !Directory.Exists(bin))
            throw new InvalidOperationException($"The fakes are not beside the tests ({bin}): the test project must reference tests/FakeTools/FakeTools.csproj.");
        // The copy to the output folder may lose the executable bit.
        foreach (var wrapper in Directory.GetFiles(bin))
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, (UnixFileMode)Convert.ToInt32("755", 8));
        return bin;
    }
}

/// <summary>Captures everything the build prints (through the engine's masker) during a test.</summary>
public sealed class CapturedLog : IDisposable
{
    private readonly StringWriter _writer = new();
    private readonly IDisposable _scope;

    public CapturedLog(SecretMasker masker, bool verbose = true)
    {
        Masker = masker;
        _scope = Log.Push(new PlainTextOutput(_writer), masker, d => { lock (Diagnostics) Diagnostics.Add(d); }, verbose);
    }

    public SecretMasker Masker { get; }
    public List<Diagnostic> Diagnostics { get; } = [];
    public string Text => _writer.ToString();

    public void Dispose() => _scope.Dispose();
}
