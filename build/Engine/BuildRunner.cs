namespace Vteam.Build.Engine;

/// <summary>Parses the command line, plans, and executes: the engine's entry point.</summary>
internal static class BuildRunner
{
    public static int Run<T>(string[] args, string[] defaultTargets) where T : NukeBuild, new()
        => throw new NotImplementedException("engine under construction");
}
