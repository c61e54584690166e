using ContextPush.Assembler.Caching;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Sources.Slack;

/// <summary>
/// An owner's Slack user id from their email (users.lookupByEmail), cached per address. Slack has no
/// batch form of this method, so the cache and the sharing of in-flight lookups are what keep it cheap.
/// </summary>
public sealed class SlackIdLookup(ISlackUsersApi api, LookupCache cache, IOptions<AssemblerOptions> options)
{
    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.Slack.BotToken);

    /// <summary>Null when nobody in the workspace has the address.</summary>
    public async Task<string?> FindAsync(string email, CancellationToken ct)
    {
        var found = await cache.GetOrLoadAsync("slack-id", email.Trim().ToLowerInvariant(), async () =>
        {
            var answer = await api.LookupByEmailAsync(email, ct);
            if (answer.Ok)
            {
                return answer.User is { Deleted: false } user ? new SlackId(user.Id) : null;
            }

            return answer.Error == "users_not_found" ? null : throw new SourceRefusedException("Slack", answer.Error ?? "unknown error");
        });
        return found?.Id;
    }

    private sealed record SlackId(string Id);
}
