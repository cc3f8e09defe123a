using System.Collections.Concurrent;
using Octokit;

namespace Vteam.Build.Containers;

/// <summary>The one GitHub question pinning asks: which commit does owner/repo@ref name now.</summary>
public interface IActionRefResolver
{
    Task<string> ResolveCommitAsync(string owner, string repository, string gitRef, CancellationToken cancellationToken);
}

/// <summary>Resolves refs through the GitHub API with Octokit (commits/{ref}, which peels annotated tags).</summary>
public sealed class GitHubActionRefResolver(IGitHubClient client) : IActionRefResolver
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _cache = new(StringComparer.OrdinalIgnoreCase);

    public static GitHubActionRefResolver Create(string? token, Uri? apiBase = null)
    {
        var header = new ProductHeaderValue("vteam-build");
        // Octokit appends api/v3/ to an Enterprise host unless the address already ends in it (with the slash).
        var client = apiBase is null ? new GitHubClient(header) : new GitHubClient(header, new Uri(apiBase.ToString().TrimEnd('/') + "/"));
        if (!string.IsNullOrEmpty(token)) client.Credentials = new Credentials(token);
        return new GitHubActionRefResolver(client);
    }

    public Task<string> ResolveCommitAsync(string owner, string repository, string gitRef, CancellationToken cancellationToken)
        => _cache.GetOrAdd($"{owner}/{repository}@{gitRef}", _ => new Lazy<Task<string>>(() => FetchAsync(owner, repository, gitRef))).Value;

    private async Task<string> FetchAsync(string owner, string repository, string gitRef)
    {
        try
        {
            var sha = (await client.Repository.Commit.GetSha1(owner, repository, gitRef)).Trim();
            if (!WorkflowUse.CommitPattern().IsMatch(sha))
                throw new InvalidOperationException($"GitHub answered '{sha}' for {owner}/{repository}@{gitRef}, which is not a commit SHA.");
            return sha;
        }
        catch (NotFoundException)
        {
            throw new InvalidOperationException($"{owner}/{repository}@{gitRef}: GitHub knows no such repository or ref; check the uses: line.");
        }
        catch (RateLimitExceededException e)
        {
            throw new InvalidOperationException($"{owner}/{repository}@{gitRef}: the GitHub API rate limit is exhausted until {e.Reset:u}; pass --github-token.");
        }
        catch (AuthorizationException)
        {
            throw new InvalidOperationException($"{owner}/{repository}@{gitRef}: GitHub refused the token (401); check --github-token.");
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException($"{owner}/{repository}@{gitRef}: the GitHub API answered {(int)e.StatusCode} ({e.Message}).");
        }
    }
}

/// <summary>Plans the pins of workflow <c>uses:</c>: <c>owner/repo@v4</c> becomes <c>owner/repo@&lt;sha&gt; # v4</c>.</summary>
public static class ActionPinPlanner
{
    public static PinPlan Plan(string file, string text, IReadOnlyList<WorkflowUse> uses, Func<WorkflowUse, DigestLookup> lookup, bool refresh, bool write)
    {
        var decisions = new List<PinDecision>();
        foreach (var use in uses)
        {
            var site = new ImageSite(file, use.Line, ImageUseKind.WorkflowAction, use.Value,
                use.IsPinned ? ImageSiteState.Pinned : ImageSiteState.Unpinned, EditSpan: use.Span, EditLine: use.Line);
            if (use.IsPinned && (!refresh || use.VersionComment is null))
            {
                decisions.Add(new PinDecision(site, PinAction.Unchanged, use.Ref));
                continue;
            }
            if (!use.IsPinned && !write)
            {
                decisions.Add(new PinDecision(site, PinAction.Unpinned, Message: $"{use.Value} is not pinned to a commit SHA; run PinBaseImages"));
                continue;
            }
            var found = lookup(use);
            if (found.Digest is null)
            {
                decisions.Add(new PinDecision(site, PinAction.Failed, Message: found.Error));
                continue;
            }
            var pinned = $"{use.Action}@{found.Digest}";
            if (use.IsPinned)
            {
                if (found.Digest == use.Ref)
                {
                    decisions.Add(new PinDecision(site, PinAction.Unchanged, found.Digest));
                    continue;
                }
                var message = $"{use.Action}@{use.VersionComment} now points at {found.Digest}, pinned is {use.Ref}";
                decisions.Add(write
                    ? new PinDecision(site, PinAction.Refreshed, found.Digest, new TextEdit(use.Span, use.Value, pinned, use.Line), message)
                    : new PinDecision(site, PinAction.Drifted, found.Digest, Message: message));
                continue;
            }
            // The comment goes after the closing quote of a quoted value.
            var quoted = use.Span.End < text.Length && text[use.Span.End] is '"' or '\'';
            var span = new TextSpan(use.Span.Start, use.Span.Length + (quoted ? 1 : 0));
            var before = text.Substring(span.Start, span.Length);
            var after = pinned + (quoted ? text[use.Span.End].ToString() : "") + " # " + use.Ref;
            decisions.Add(new PinDecision(site, PinAction.Pinned, found.Digest, new TextEdit(span, before, after, use.Line)));
        }
        return new PinPlan(file, decisions);
    }
}
