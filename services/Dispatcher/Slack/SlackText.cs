namespace ContextPush.Dispatcher.Slack;

/// <summary>Slack's mrkdwn escaping and length limits.</summary>
public static class SlackText
{
    /// <summary>Slack asks for exactly these three to be escaped; everything else is literal.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
