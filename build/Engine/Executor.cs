using System.Diagnostics;
using System.Linq.Expressions;

namespace Vteam.Build.Engine;

/// <summary>
/// Runs a plan: one target after another, with skip reasons, dynamic conditions, --continue,
/// ProceedAfterFailure / AssuredAfterFailure, cancellation and a result per target.
/// </summary>
internal sealed class Executor(IBuildHost host, SecretMasker masker, bool verbose, Action<TargetResult>? onResult = null)
{
    public async Task<IReadOnlyList<TargetResult>> RunAsync(
        ExecutionPlan plan, IReadOnlyDictionary<string, ExecutableTarget> targets, bool continueOnFailure, CancellationToken cancellation)
    {
        var results = new Dictionary<string, TargetResult>(StringComparer.OrdinalIgnoreCase);
        string? stoppedBy = null;

        foreach (var planned in plan.Targets)
        {
            var target = targets[planned.Name];
            TargetResult result;
            if (planned.Skipped)
                result = new TargetResult(planned.Name, TargetStatus.Skipped, TimeSpan.Zero, planned.SkipReason);
            else if (cancellation.IsCancellationRequested)
                result = new TargetResult(planned.Name, TargetStatus.NotRun, TimeSpan.Zero, "cancelled");
            else if (stoppedBy is not null && !target.Definition.IsAssuredAfterFailure)
                result = new TargetResult(planned.Name, TargetStatus.NotRun, TimeSpan.Zero, $"{stoppedBy} failed");
            else if (!target.Definition.IsAssuredAfterFailure && FailedDependency(target, results) is { } failed)
                result = new TargetResult(planned.Name, TargetStatus.NotRun, TimeSpan.Zero, $"dependency {failed} did not succeed");
            else
                result = await RunOneAsync(target, cancellation);

            results[planned.Name] = result;
            onResult?.Invoke(result);
            if (result.Status == TargetStatus.Failed && stoppedBy is null && !continueOnFailure && !target.Definition.IsProceedAfterFailure)
                stoppedBy = planned.Name;
        }
        return plan.Targets.Select(t => results[t.Name]).ToArray();
    }

    private static string? FailedDependency(ExecutableTarget target, Dictionary<string, TargetResult> results)
    {
        foreach (var dependency in target.Node.DependsOn)
            if (results.TryGetValue(dependency, out var r) && r.Status is TargetStatus.Failed or TargetStatus.NotRun)
                return dependency;
        return null;
    }

    private async Task<TargetResult> RunOneAsync(ExecutableTarget target, CancellationToken cancellation)
    {
        var falseCondition = target.Definition.DynamicConditions.FirstOrDefault(c => !Evaluate(c));
        if (falseCondition is not null)
            return new TargetResult(target.Name, TargetStatus.Skipped, TimeSpan.Zero, $"condition false: {Describe(falseCondition)}");

        host.TargetStarted(target.Name);
        var errors = 0;
        var warnings = 0;
        var stopwatch = Stopwatch.StartNew();
        TargetResult result;
        using (Log.Push(host, masker, d =>
               {
                   if (d.Severity == DiagnosticSeverity.Error) Interlocked.Increment(ref errors);
                   else if (d.Severity == DiagnosticSeverity.Warning) Interlocked.Increment(ref warnings);
               }, verbose))
        {
            try
            {
                foreach (var action in target.Definition.Actions)
                    await action(cancellation);
                result = errors > 0
                    ? new TargetResult(target.Name, TargetStatus.Failed, stopwatch.Elapsed, $"{errors} error{(errors == 1 ? "" : "s")} reported", errors, warnings)
                    : new TargetResult(target.Name, TargetStatus.Succeeded, stopwatch.Elapsed, null, errors, warnings);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                Log.Error($"{target.Name} was cancelled.");
                result = new TargetResult(target.Name, TargetStatus.Failed, stopwatch.Elapsed, "cancelled", errors, warnings);
            }
            catch (Exception e)
            {
                Log.Error($"{target.Name} failed: {Messages(e)}");
                if (verbose) Log.Write(LogLevel.Debug, e.ToString());
                result = new TargetResult(target.Name, TargetStatus.Failed, stopwatch.Elapsed, null, errors, warnings);
            }
        }
        host.TargetFinished(result);
        return result;
    }

    /// <summary>The exception's message with its inner messages; masked later by the log.</summary>
    internal static string Messages(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            return string.Join("; ", aggregate.InnerExceptions.Select(Messages));
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (!message.Contains(inner.Message, StringComparison.Ordinal)) message += $" ({inner.Message})";
        return message;
    }

    internal static bool Evaluate(Expression<Func<bool>> condition) => condition.Compile(preferInterpretation: true)();

    internal static string Describe(LambdaExpression expression)
    {
        var text = expression.Body.ToString();
        // value(Vteam.Build.Build).Push => Push: drop the closure noise.
        return System.Text.RegularExpressions.Regex.Replace(text, @"value\([^)]*\)\.", "").Replace("Convert(", "(");
    }
}
