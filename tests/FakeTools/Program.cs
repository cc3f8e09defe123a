namespace FakeTools;

/// <summary>
/// One test-only program standing in for every external CLI. The first argument (the wrapper script's
/// name) says which tool to be; each tool is strict about its flags and writes the real output formats.
/// </summary>
public static class Program
{
    /// <summary>The tools this program can be. Adding one: a class with Run(string[]) and a line here (README.md).</summary>
    private static readonly Dictionary<string, Func<string[], int>> Tools = new(StringComparer.Ordinal)
    {
        ["trivy"] = TrivyFake.Run,
        ["trufflehog"] = TruffleHogFake.Run,
        ["syft"] = SyftFake.Run,
        ["cosign"] = CosignFake.Run,
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Tools.TryGetValue(Path.GetFileNameWithoutExtension(args[0]), out var run))
        {
            Console.Error.WriteLine($"FakeTools: the first argument must be one of {string.Join(", ", Tools.Keys)} (got '{args.FirstOrDefault()}').");
            return 2;
        }
        var tool = Path.GetFileNameWithoutExtension(args[0]);
        var arguments = args[1..];
        InvocationLog.Append(tool, arguments);
        // A fixed duration per call (benchmarks of the pipeline): FAKE_<TOOL>_DELAY_MS, not for version queries.
        if (int.TryParse(Environment.GetEnvironmentVariable($"FAKE_{tool.ToUpperInvariant()}_DELAY_MS"), out var delay) && delay > 0
            && !arguments.Contains("--version") && arguments.FirstOrDefault() != "version")
            Thread.Sleep(delay);
        return run(arguments);
    }
}
