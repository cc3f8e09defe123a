namespace Vteam.Build.Engine;

public enum TargetStatus { Succeeded, Failed, Skipped, NotRun }

public sealed record TargetResult(string Name, TargetStatus Status, TimeSpan Duration, string? Reason = null, int Errors = 0, int Warnings = 0);
