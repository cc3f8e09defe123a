using Vteam.Build.Engine;

namespace Vteam.Build.Tests.Engine;

public enum Mode { Fast, Thorough }

/// <summary>A capability interface with a default target and an interface parameter, as capabilities are written.</summary>
public interface IGreet : INukeBuild
{
    [Parameter("Whom to greet.")] string? Greetee => TryGetValue(() => Greetee);

    List<string> Journal { get; }

    Target Greet => _ => _
        .Description("Greets.")
        .Executes(() => Journal.Add($"Greet {Greetee ?? "nobody"}"));
}

public class OrderBuild : NukeBuild, IGreet
{
    public List<string> Journal { get; } = [];

    [Parameter("Targets that throw.")] public string[] Fail = [];
    [Parameter("A string.")] public string Name = "default-name";
    [Parameter("A number.")] public int Count = 1;
    [Parameter("A mode.")] public Mode Mode = Mode.Fast;
    [Parameter("A path.")] public AbsolutePath? Output;
    [Parameter("A flag.")] public bool Push;
    [Parameter("Needed by Release.")] public string? Version;
    [Parameter("A secret."), Secret] public string? ApiToken;

    void Step(string name)
    {
        Journal.Add(name);
        if (Fail.Contains(name)) throw new InvalidOperationException($"{name} broke");
    }

    public Target Restore => _ => _.Executes(() => Step(nameof(Restore)));
    public Target Compile => _ => _.DependsOn(Restore).Executes(() => Step(nameof(Compile)));
    public Target Lint => _ => _.Executes(() => Step(nameof(Lint)));
    public Target Test => _ => _.DependsOn(Compile).Executes(() => Step(nameof(Test)));
    public Target Pack => _ => _.DependsOn(Compile).ProceedAfterFailure().Executes(() => Step(nameof(Pack)));
    public Target Report => _ => _.After(Test, Pack, Lint).AssuredAfterFailure().Executes(() => Step(nameof(Report)));
    public Target All => _ => _.DependsOn(Test, Lint).DependsOn<IGreet>(x => x.Greet).Triggers(Report).Executes(() => Step(nameof(All)));
    public Target PushImages => _ => _.OnlyWhenDynamic(() => Push).Executes(() => Step(nameof(PushImages)));
    public Target Release => _ => _.Requires(() => Version).Requires(() => Count > 0).Requires(() => Name != "forbidden", "--name may not be 'forbidden': choose another name.").DependsOn(PushImages).Executes(() => Step(nameof(Release)));
    public Target Publish => _ => _.OnlyWhenStatic(() => Push).DependsOn(Lint).Executes(() => Step(nameof(Publish)));
    public Target Leak => _ => _.Executes(() =>
    {
        Log.Information($"the token is {ApiToken}");
        Log.Report(new Diagnostic(DiagnosticSeverity.Warning, $"found {ApiToken} in a file", "src/a.cs", 3, "SEC001"));
        throw new InvalidOperationException($"request with {ApiToken} failed");
    });
    public Target Findings => _ => _.Executes(() =>
    {
        Log.Report(new Diagnostic(DiagnosticSeverity.Error, "Base image is not pinned, run PinBaseImages", "components/backend/Dockerfile", 1, "PIN001"));
        Log.Report(new Diagnostic(DiagnosticSeverity.Warning, "readOnlyRootFilesystem is not set: 50%, 1,2", "components/manifests/a.yaml", 12, "K8S010"));
    });
    public Target Sleep => _ => _.Executes(async cancellation =>
    {
        await CliWrap.Cli.Wrap("sleep").WithArguments("60").ExecuteAsync(cancellation);
    });
}
