using ContextPush.Wording;

namespace ContextPush.Dispatcher.Slack;

/// <summary>Slack's mrkdwn escaping, and truncation that never splits an escape or a mention.</summary>
public static class SlackText
{
    public static string Escape(string text) => TextEscaping.Slack(text);

    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        // Back off to before an entity (&amp;) or a special sequence (<@U123>, <!date…>) the cut would split.
        var amp = text.LastIndexOf('&', cut - 1);
        if (amp >= 0 && text.IndexOf(';', amp) is var semi && semi >= cut && semi - amp <= 6)
        {
            cut = amp;
        }

        var open = text.LastIndexOf('<', cut - 1);
        if (open >= 0 && text.IndexOf('>', open) >= cut)
        {
            cut = open;
        }

        return text[..cut] + "…";
    }
}
