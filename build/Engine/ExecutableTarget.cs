namespace Vteam.Build.Engine;

/// <summary>A target of a concrete build instance: its graph node plus what it runs and checks.</summary>
internal sealed record ExecutableTarget(TargetNode Node, TargetDefinition Definition, Type DeclaringType)
{
    public string Name => Node.Name;
}
