namespace Vteam.Build.Engine;

/// <summary>A place the build runs in (a terminal, GitHub Actions): how it shows targets, findings and the summary.</summary>
internal interface IBuildHost : IBuildOutput
{
    /// <summary>Called for every secret as it becomes known (GitHub Actions masks it in its own log too).</summary>
    void SecretRegistered(string secret);
    void TargetStarted(string name);
    void TargetFinished(TargetResult result);
    void Summary(IReadOnlyList<TargetResult> results, TimeSpan total, bool succeeded);
    /// <summary>A line printed after everything else (the test count of the Test target).</summary>
    void ClosingLine(string line);
    /// <summary>Prints the closing lines that were held back until after the summary.</summary>
    void FlushClosingLines();
}
