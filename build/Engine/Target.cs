namespace Vteam.Build.Engine;

/// <summary>
/// A target, as in Nuke: a property of this type on the build class or on a capability interface,
/// e.g. <c>Target Sign => _ => _.DependsOn(BuildImages).Executes(...)</c>.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition _);
