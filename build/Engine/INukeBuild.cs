using System.Linq.Expressions;

namespace Vteam.Build.Engine;

public enum BuildHost { Console, GitHubActions }

/// <summary>
/// What every build and every capability interface can see. Capability interfaces read their
/// parameters with <c>[Parameter] string? Registry => TryGetValue(() => Registry);</c>.
/// </summary>
public interface INukeBuild
{
    AbsolutePath RootDirectory { get; }
    AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";
    BuildHost Host { get; }
    bool IsServerBuild => Host != BuildHost.Console;
    bool IsLocalBuild => !IsServerBuild;
    /// <summary>Cancelled on Ctrl+C; pass it to everything that waits.</summary>
    CancellationToken Cancellation { get; }
    SecretMasker Masker { get; }
    /// <summary>The plan of this run; null before planning.</summary>
    ExecutionPlan? ExecutionPlan => null;

    /// <summary>The targets that failed so far in this run (a release step can refuse to run after any failure).</summary>
    IReadOnlyCollection<string> FailedTargets => [];

    /// <summary>True when the target was named on the command line (or is the default target), not only scheduled as a dependency.</summary>
    bool IsRequested(string target) => ExecutionPlan?.Find(target) is { Requested: true };

    /// <summary>True when the target runs in this run (scheduled and not skipped).</summary>
    bool WillRun(string target) => ExecutionPlan?.Find(target) is { Skipped: false };

    /// <summary>The resolved value of a parameter declared as an interface property, or default when it has none.</summary>
    T? TryGetValue<T>(Expression<Func<T>> parameter) => ParameterValues.Get<T>(this, parameter);
}
