using System.Text;
using System.Text.RegularExpressions;

namespace Vteam.Build.Containers.Build;

/// <summary>One message of the engine's JSON stream (build, push), reduced to what the build reads.</summary>
public sealed record EngineMessage(
    string? Stream = null,
    string? Status = null,
    string? Id = null,
    string? Progress = null,
    string? Error = null,
    IReadOnlyDictionary<string, string>? Aux = null);

/// <summary>The step of a build that failed: which, its instruction, and the last lines it printed.</summary>
public sealed record FailedStep(int Step, int Total, string Instruction, string Error, int? ExitCode, IReadOnlyList<string> LastLines);

/// <summary>
/// Follows the classic builder's message stream for one image: the step it is at, which steps came from
/// the cache, the image id, and on failure the step with its command and last lines of output.
/// </summary>
public sealed partial class BuildProgress
{
    public const int TailLines = 20;

    private readonly StringBuilder _partial = new();
    private readonly List<string> _log = [];
    private readonly List<string> _stepOutput = [];

    public int Step { get; private set; }
    public int TotalSteps { get; private set; }
    public string? Instruction { get; private set; }
    /// <summary>Steps whose result came from the build cache ("---> Using cache").</summary>
    public int CachedSteps { get; private set; }
    public string? ImageId { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<string> Log => _log;
    public FailedStep? Failure { get; private set; }

    public string StatusLine => Failure is not null
        ? $"failed at step {Failure.Step}/{Failure.Total}: {Shorten(Failure.Instruction)}"
        : ImageId is not null
            ? $"built {ShortId(ImageId)} ({CachedSteps}/{TotalSteps} steps from cache)"
            : Step == 0 ? "sending context" : $"step {Step}/{TotalSteps}: {Shorten(Instruction)}";

    public void Add(EngineMessage message)
    {
        if (message.Stream is { } text)
        {
            _partial.Append(text);
            var all = _partial.ToString();
            var end = all.LastIndexOf('\n');
            if (end >= 0)
            {
                foreach (var line in all[..end].Split('\n')) AddLine(line.TrimEnd('\r'));
                _partial.Clear().Append(all[(end + 1)..]);
            }
        }
        if (message.Aux is { } aux && aux.TryGetValue("ID", out var id) && id.StartsWith("sha256:", StringComparison.Ordinal))
            ImageId = id;
        if (message.Error is { } error)
        {
            Flush();
            Error = error;
            _log.Add(error);
            var code = ExitCode().Match(error);
            Failure = new FailedStep(
                Step, TotalSteps, Instruction ?? "(before the first step)", error,
                code.Success ? int.Parse(code.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
                _stepOutput.TakeLast(TailLines).ToList());
        }
    }

    /// <summary>Takes in a last line that did not end with a newline.</summary>
    public void Flush()
    {
        if (_partial.Length == 0) return;
        AddLine(_partial.ToString());
        _partial.Clear();
    }

    private void AddLine(string line)
    {
        // The builder colours a RUN step's stderr (ESC[91m … ESC[0m); the codes would split and garble lines.
        line = AnsiEscape().Replace(line, "");
        _log.Add(line);
        var step = StepLine().Match(line);
        if (step.Success)
        {
            Step = int.Parse(step.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            TotalSteps = int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Instruction = step.Groups[3].Value.Trim();
            _stepOutput.Clear();
            return;
        }
        var trimmed = line.Trim();
        if (trimmed == "---> Using cache") { CachedSteps++; return; }
        if (trimmed.StartsWith("---> ", StringComparison.Ordinal) || trimmed.StartsWith("Removing intermediate container", StringComparison.Ordinal)) return;
        var built = SuccessfullyBuilt().Match(line);
        if (built.Success && ImageId is null) { ImageId = built.Groups[1].Value; return; }
        if (trimmed.Length > 0) _stepOutput.Add(line);
    }

    private static string Shorten(string? text, int length = 80)
        => text is null || text.Length <= length ? text ?? "" : text[..(length - 1)] + "…";

    private static string ShortId(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..Math.Min(id.Length, 19)] : id;

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^Step (\d+)/(\d+) : (.*)$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^Successfully built ([0-9a-f]{12,64})\s*$")]
    private static partial Regex SuccessfullyBuilt();

    [GeneratedRegex(@"returned a non-zero code: (\d+)")]
    private static partial Regex ExitCode();
}

/// <summary>Follows a push: layers done, the pushed manifest digest from the aux message, or the error.</summary>
public sealed class PushProgress
{
    private readonly Dictionary<string, string> _layers = new(StringComparer.Ordinal);
    private readonly List<string> _log = [];

    public string? Digest { get; private set; }
    public string? Tag { get; private set; }
    public long? Size { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<string> Log => _log;
    public int Layers => _layers.Count;
    public int LayersDone => _layers.Values.Count(s => s is "Pushed" or "Layer already exists" || s.StartsWith("Mounted from", StringComparison.Ordinal));

    public string StatusLine => Digest is not null ? $"pushed {Tag} {Digest}" : $"pushing: {LayersDone}/{Layers} layers";

    public void Add(EngineMessage message)
    {
        if (message.Id is { } id && message.Status is { } status && !status.StartsWith("The push refers to", StringComparison.Ordinal))
            _layers[id] = status;
        if (message.Status is { } s) _log.Add(message.Id is null ? s : $"{message.Id}: {s}");
        if (message.Aux is { } aux && aux.TryGetValue("Digest", out var digest))
        {
            Digest = digest;
            Tag = aux.GetValueOrDefault("Tag");
            if (aux.TryGetValue("Size", out var size) && long.TryParse(size, System.Globalization.CultureInfo.InvariantCulture, out var bytes)) Size = bytes;
        }
        if (message.Error is { } error)
        {
            Error = error;
            _log.Add(error);
        }
    }
}
