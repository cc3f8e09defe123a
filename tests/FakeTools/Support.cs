using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeTools;

/// <summary>FAKE_TOOLS_LOG=file: one JSON line per invocation (tool, argv, cwd, names of TRIVY_*/COSIGN_* variables set), for tests.</summary>
public static class InvocationLog
{
    public static void Append(string tool, string[] arguments)
    {
        var path = Environment.GetEnvironmentVariable("FAKE_TOOLS_LOG");
        if (string.IsNullOrEmpty(path)) return;
        var prefix = tool.ToUpperInvariant() + "_";
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order().ToArray();
        var line = JsonSerializer.Serialize(new { tool, argv = arguments, cwd = Environment.CurrentDirectory, env = variables });
        // Several fakes may run at once: take the file exclusively so no line overwrites another.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
                stream.Seek(0, SeekOrigin.End);
                using var writer = new StreamWriter(stream);
                writer.WriteLine(line);
                return;
            }
            catch (IOException) when (attempt < 500)
            {
                Thread.Sleep(10);
            }
        }
    }
}

/// <summary>How a test tells a fake to behave: FAKE_&lt;TOOL&gt;_MODE=a,b=2,...</summary>
public sealed class Modes(string tool)
{
    private readonly Dictionary<string, string> _modes = Parse(Environment.GetEnvironmentVariable($"FAKE_{tool.ToUpperInvariant()}_MODE"));

    public bool Has(string mode) => _modes.ContainsKey(mode);
    public int Count(string mode) => _modes.TryGetValue(mode, out var v) && int.TryParse(v, out var n) ? n : 0;
    public IEnumerable<string> Names => _modes.Keys;

    private static Dictionary<string, string> Parse(string? value)
        => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    /// <summary>The shared misbehaviours: crash (Go panic, exit 2) and hang (until killed).</summary>
    public int? Misbehave(string tool)
    {
        if (Has("hang"))
        {
            Console.Error.WriteLine($"{Timestamp()}\tINFO\t{tool}: waiting for something that never comes");
            Thread.Sleep(Timeout.Infinite);
        }
        if (Has("crash"))
        {
            Console.Error.WriteLine($"{Timestamp()}\tINFO\tstarting");
            Console.Error.WriteLine("panic: runtime error: invalid memory address or nil pointer dereference");
            Console.Error.WriteLine("[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1a2b3c]");
            Console.Error.WriteLine("");
            Console.Error.WriteLine("goroutine 1 [running]:");
            Console.Error.WriteLine($"main.main()\n\t/src/{tool}/main.go:42 +0x1d");
            return 2;
        }
        return null;
    }

    public static string Timestamp() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
}

public static class Samples
{
    public static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("samples/" + name)
            ?? throw new InvalidOperationException($"sample {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static JsonNode ReadJson(string name) => JsonNode.Parse(Read(name))!;
}

/// <summary>A flag a fake accepts: its long name, optional shorthand, and whether it takes a value.</summary>
public sealed record FlagDef(string Name, char? Short = null, bool IsBool = false);

public sealed class ParsedArgs
{
    public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);
    public List<string> Positionals { get; } = [];
    public string? Error { get; set; }

    public bool Has(string name) => Values.ContainsKey(name);
    public string? Get(string name) => Values.TryGetValue(name, out var v) ? v[^1] : null;
    public bool Flag(string name) => Values.TryGetValue(name, out var v) && v[^1] is not ("false" or "0");
    public IReadOnlyList<string> All(string name) => Values.TryGetValue(name, out var v) ? v : [];
}

/// <summary>
/// Parses argv the way the real tools' libraries do: cobra/pflag (trivy, syft, cosign) or kingpin
/// (trufflehog), with their exact error wording for unknown flags and missing values.
/// </summary>
public static class FlagParser
{
    public static ParsedArgs Cobra(IReadOnlyList<string> args, IEnumerable<FlagDef> flags)
    {
        var byName = flags.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var byShort = byName.Values.Where(f => f.Short is not null).ToDictionary(f => f.Short!.Value);
        var parsed = new ParsedArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { parsed.Positionals.AddRange(args.Skip(i + 1)); break; }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var body = arg[2..];
                var eq = body.IndexOf('=');
                var name = eq >= 0 ? body[..eq] : body;
                if (!byName.TryGetValue(name, out var def)) { parsed.Error = $"unknown flag: --{name}"; return parsed; }
                string value;
                if (eq >= 0) value = body[(eq + 1)..];
                else if (def.IsBool) value = "true";
                else if (i + 1 < args.Count) value = args[++i];
                else { parsed.Error = $"flag needs an argument: --{name}"; return parsed; }
                Add(parsed, def.Name, value);
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                var c = arg[1];
                if (!byShort.TryGetValue(c, out var def)) { parsed.Error = $"unknown shorthand flag: '{c}' in {arg}"; return parsed; }
                string value;
                if (arg.Length > 2) value = arg[2] == '=' ? arg[3..] : arg[2..];
                else if (def.IsBool) value = "true";
                else if (i + 1 < args.Count) value = args[++i];
                else { parsed.Error = $"flag needs an argument: '{c}' in -{c}"; return parsed; }
                Add(parsed, def.Name, value);
            }
            else parsed.Positionals.Add(arg);
        }
        return parsed;
    }

    public static ParsedArgs Kingpin(IReadOnlyList<string> args, IEnumerable<FlagDef> flags)
    {
        var byName = flags.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var byShort = byName.Values.Where(f => f.Short is not null).ToDictionary(f => f.Short!.Value);
        var parsed = new ParsedArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { parsed.Positionals.AddRange(args.Skip(i + 1)); break; }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var body = arg[2..];
                var eq = body.IndexOf('=');
                var name = eq >= 0 ? body[..eq] : body;
                var negated = false;
                if (!byName.TryGetValue(name, out var def) && name.StartsWith("no-", StringComparison.Ordinal)
                    && byName.TryGetValue(name[3..], out def) && def.IsBool)
                    negated = true;
                if (def is null) { parsed.Error = $"unknown long flag '--{name}'"; return parsed; }
                if (def.IsBool)
                {
                    Add(parsed, def.Name, negated ? "false" : "true");
                    // kingpin bools take no value: "--json=false" leaves a stray "false" argument.
                    if (eq >= 0) parsed.Positionals.Add(body[(eq + 1)..]);
                    continue;
                }
                string value;
                if (eq >= 0) value = body[(eq + 1)..];
                else if (i + 1 < args.Count) value = args[++i];
                else { parsed.Error = $"expected argument for flag '--{name}'"; return parsed; }
                Add(parsed, def.Name, value);
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                var c = arg[1];
                if (!byShort.TryGetValue(c, out var def)) { parsed.Error = $"unknown short flag '-{c}'"; return parsed; }
                if (def.IsBool) { Add(parsed, def.Name, "true"); continue; }
                string value;
                if (arg.Length > 2) value = arg[2..];
                else if (i + 1 < args.Count) value = args[++i];
                else { parsed.Error = $"expected argument for flag '-{c}'"; return parsed; }
                Add(parsed, def.Name, value);
            }
            else parsed.Positionals.Add(arg);
        }
        return parsed;
    }

    private static void Add(ParsedArgs parsed, string name, string value)
    {
        if (!parsed.Values.TryGetValue(name, out var list)) parsed.Values[name] = list = [];
        list.Add(value);
    }
}
