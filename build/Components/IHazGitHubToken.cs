using Vteam.Build.Engine;

namespace Vteam.Build.Components;

/// <summary>The token for the GitHub API (release, action pins); from GITHUB_TOKEN rather than the command line.</summary>
public interface IHazGitHubToken : INukeBuild
{
    [Parameter("GitHub API token (set GITHUB_TOKEN rather than passing it on the command line)."), Secret]
    string? GitHubToken => TryGetValue(() => GitHubToken);
}
