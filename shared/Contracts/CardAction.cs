namespace ContextPush.Contracts;

/// <summary>What a person did with a card. Part of <see cref="CardActioned"/>.</summary>
public enum CardAction
{
    /// <summary>"Mark as reviewed": suppress until the value changes beyond tolerance again.</summary>
    Reviewed = 0,

    /// <summary>"Snooze N days".</summary>
    Snoozed = 1,

    /// <summary>A URL button such as "Open in Salesforce": a look, recorded, which suppresses nothing and leaves the card as it is.</summary>
    Opened = 2,
}
