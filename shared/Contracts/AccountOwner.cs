namespace ContextPush.Contracts;

/// <summary>The person who should act on a delta. Part of <see cref="ContextAssembled"/>.</summary>
public sealed record AccountOwner(string Name, string? Email, string? SlackUserId)
{
    /// <summary>How events and adoption figures name the owner: the email, else the Slack user id, else the name.</summary>
    public string Identity() => Email ?? SlackUserId ?? Name;
}
