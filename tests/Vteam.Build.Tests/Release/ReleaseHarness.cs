using Vteam.Build.Engine;
using Vteam.Build.Release;

namespace Vteam.Build.Tests.Release;

/// <summary>A stand-in GitHub, a workspace, captured output and a clock and wait that tests control.</summary>
internal sealed class ReleaseHarness : IAsyncDisposable
{
    public const string GoodToken = "ghp_" + "StandInGoodToken0123456789abcdefABCD";
    private ReleaseHarness(StandInGitHub server, ReleaseWorkspace workspace)
    {
        Server = server;
        Workspace = workspace;
    }

    public StandInGitHub Server { get; }
    public ReleaseWorkspace Workspace { get; }
    public StringWriter Output { get; } = new();
    public SecretMasker Masker { get; } = new();
    public List<TimeSpan> Waits { get; } = [];
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 12, 4, 21, 0, 0, TimeSpan.Zero));
    public RetryOptions RetryOptions { get; set; } = new() { MaxAttempts = 3 };

    public static async Task<ReleaseHarness> StartAsync(bool verified = true, int components = 2)
        => new(await StandInGitHub.StartAsync(GoodToken), ReleaseWorkspace.Create(verified, components));

    public OctokitReleasePublisher Publisher(string token = GoodToken, string repository = $"{StandInGitHub.Owner}/{StandInGitHub.Repo}")
        => new(GitHubRepositoryName.Parse(repository), token, Server.ApiUrl,
            new GitHubRetryPolicy(RetryOptions, Clock, (wait, _) =>
            {
                Waits.Add(wait);
                Clock.Advance(wait);
                return Task.CompletedTask;
            }));

    /// <summary>Prepares and publishes like PublishRelease, with the log captured in <see cref="Output"/>.</summary>
    public async Task<PublicationResult> PublishAsync(bool keepDraft = false, string token = GoodToken, string repository = $"{StandInGitHub.Owner}/{StandInGitHub.Repo}")
    {
        // Pushed here, not in the constructor: the log scope is async-local and must live in this flow.
        using var _ = Log.Push(new PlainTextOutput(Output), Masker);
        return await ReleaseStage.PublishAsync(Workspace.Prepare(), Publisher(token, repository), keepDraft, CancellationToken.None);
    }

    public IReadOnlyList<RecordedRequest> Changes => Server.Requests.Where(r => r.ChangesSomething).ToArray();

    public string[] Uploaded => Changes.Where(r => r.AssetName is not null && r.Status == 201).Select(r => r.AssetName!).ToArray();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan span) => _now += span;
}
