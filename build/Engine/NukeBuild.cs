using System.Linq.Expressions;

namespace Vteam.Build.Engine;

/// <summary>Base class of a build: the engine's own parameters, and <see cref="Execute{T}"/> for Main.</summary>
public abstract class NukeBuild : INukeBuild
{
    [Parameter("Skip targets: the named ones, or with no names every target that was not requested.", EnvironmentVariable = "NUKE_SKIP")]
    public string[]? Skip;

    [Parameter("After a failure, run whatever the graph still allows and fail at the end.", EnvironmentVariable = "NUKE_CONTINUE")]
    public bool Continue;

    [Parameter("Print everything: full tool and build logs.", EnvironmentVariable = "NUKE_VERBOSE")]
    public bool Verbose;

    [Parameter("Print the execution plan and write artifacts/plan.html; run nothing.", EnvironmentVariable = "NUKE_PLAN")]
    public bool Plan;

    [Parameter("Show targets and parameters.", EnvironmentVariable = "NUKE_HELP")]
    public bool Help;

    public AbsolutePath RootDirectory { get; internal set; } = new(Directory.GetCurrentDirectory());
    public BuildHost Host { get; internal set; } = BuildHost.Console;
    public CancellationToken Cancellation { get; internal set; }
    public SecretMasker Masker { get; internal set; } = new();

    /// <summary>The plan of this run (null before planning): lets a target start work that later targets of the plan need.</summary>
    public ExecutionPlan? ExecutionPlan { get; internal set; }

    private readonly List<string> _failedTargets = [];
    /// <summary>The targets that failed so far in this run.</summary>
    public IReadOnlyCollection<string> FailedTargets { get { lock (_failedTargets) return _failedTargets.ToArray(); } }
    internal void TargetFailed(string name) { lock (_failedTargets) _failedTargets.Add(name); }

    public bool WillRun(string target) => ExecutionPlan?.Find(target) is { Skipped: false };
    public bool IsRequested(string target) => ExecutionPlan?.Find(target) is { Requested: true };

    public bool IsServerBuild => Host != BuildHost.Console;
    public bool IsLocalBuild => !IsServerBuild;
    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";

    /// <summary>Runs the build with the process's arguments; returns the exit code.</summary>
    protected static int Execute<T>(string[] args, params Expression<Func<T, Target>>[] defaultTargets)
        where T : NukeBuild, new()
        => BuildRunner.Run<T>(args, defaultTargets.Select(ExpressionNames.MemberName).ToArray());
}
