namespace ContextPush.Wording;

/// <summary>The markup a card's text ends up in; each escapes data differently.</summary>
public enum TextFormat
{
    /// <summary>Plain text: console, email's text part, Slack's notification fallback.</summary>
    Text,

    /// <summary>Slack mrkdwn.</summary>
    Slack,

    /// <summary>The Markdown subset Adaptive Card TextBlocks render (Teams).</summary>
    Teams,

    /// <summary>HTML (email).</summary>
    Html,
}
