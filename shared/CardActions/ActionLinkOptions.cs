namespace ContextPush.CardActions;

/// <summary>The keys that sign action links; the same section in Dispatcher and Callbacks.</summary>
public sealed class ActionLinkOptions
{
    public const string SectionName = "ActionLinks";

    /// <summary>Signs new links and verifies them; from the environment or a secret store (at least 32 characters).</summary>
    public string? Key { get; set; }

    /// <summary>During a key rotation, links signed with the previous key are still accepted until they expire.</summary>
    public string? PreviousKey { get; set; }

    /// <summary>How long a link stays valid.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(14);
}
