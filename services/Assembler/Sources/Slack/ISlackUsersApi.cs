using Refit;

namespace ContextPush.Assembler.Sources.Slack;

/// <summary>Slack's users.lookupByEmail.</summary>
public interface ISlackUsersApi
{
    /// <summary>https://api.slack.com/methods/users.lookupByEmail: 200 with ok=false and error "users_not_found" when nobody has the address.</summary>
    [Get("/users.lookupByEmail")]
    Task<SlackUserLookup> LookupByEmailAsync(string email, CancellationToken ct);
}

public sealed record SlackUserLookup(bool Ok, string? Error, SlackUser? User);

public sealed record SlackUser(string Id, bool Deleted);
