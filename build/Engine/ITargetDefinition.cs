using System.Linq.Expressions;

namespace Vteam.Build.Engine;

/// <summary>The fluent surface a target uses to describe itself (Nuke's model).</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);
    ITargetDefinition Unlisted();

    ITargetDefinition DependsOn(params Target[] targets);
    ITargetDefinition DependsOn<T>(params Func<T, Target>[] targets);
    ITargetDefinition DependentFor(params Target[] targets);
    ITargetDefinition DependentFor<T>(params Func<T, Target>[] targets);
    ITargetDefinition After(params Target[] targets);
    ITargetDefinition After<T>(params Func<T, Target>[] targets);
    ITargetDefinition Before(params Target[] targets);
    ITargetDefinition Before<T>(params Func<T, Target>[] targets);
    ITargetDefinition Triggers(params Target[] targets);
    ITargetDefinition Triggers<T>(params Func<T, Target>[] targets);
    ITargetDefinition TriggeredBy(params Target[] targets);
    ITargetDefinition TriggeredBy<T>(params Func<T, Target>[] targets);

    /// <summary>Evaluated before anything runs; false skips the target (and dependencies only it needs).</summary>
    ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions);
    /// <summary>Evaluated just before the target runs.</summary>
    ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions);

    /// <summary>A parameter that must have a value; checked for every scheduled target before any runs.</summary>
    ITargetDefinition Requires<T>(params Expression<Func<T>>[] parameters);
    /// <summary>A precondition; checked for every scheduled target before any runs.</summary>
    ITargetDefinition Requires(params Expression<Func<bool>>[] requirements);
    /// <summary>A precondition with the message that tells the user what to do when it does not hold.</summary>
    ITargetDefinition Requires(Expression<Func<bool>> requirement, string message);

    /// <summary>A failure of this target does not stop the targets after it.</summary>
    ITargetDefinition ProceedAfterFailure();
    /// <summary>This target runs even when an earlier target failed (reports, cleanup).</summary>
    ITargetDefinition AssuredAfterFailure();

    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
