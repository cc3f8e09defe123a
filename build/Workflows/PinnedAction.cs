namespace Vteam.Build.Workflows;

/// <summary>An action the workflow uses, pinned to the full commit SHA of a release tag (a tag can move; a SHA cannot).</summary>
public sealed record PinnedAction(string Name, string Version, string Sha)
{
    public string Uses => $"{Name}@{Sha} # {Version}";

    // Resolved from each action's repository: the commit its release tag points to.
    public static readonly PinnedAction Checkout = new("actions/checkout", "v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1");
    public static readonly PinnedAction SetupDotnet = new("actions/setup-dotnet", "v6.0.0", "a98b56852c35b8e3190ac28c8c2271da59106c68");
    public static readonly PinnedAction Cache = new("actions/cache", "v5.0.5", "27d5ce7f107fe9357f9df03efb73ab90386fccae");
    public static readonly PinnedAction UploadArtifact = new("actions/upload-artifact", "v7.0.0", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f");
    public static readonly PinnedAction UploadSarif = new("github/codeql-action/upload-sarif", "v4.36.2", "8aad20d150bbac5944a9f9d289da16a4b0d87c1e");
}
