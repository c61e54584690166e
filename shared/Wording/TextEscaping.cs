using System.Net;
using System.Text;

namespace ContextPush.Wording;

/// <summary>Makes a value from data literal in a target format, so a customer named <c>&lt;Acme &amp; *Sons*&gt;</c> stays a name.</summary>
public static class TextEscaping
{
    public static string Escape(TextFormat format, string value) => format switch
    {
        TextFormat.Slack => Slack(value),
        TextFormat.Teams => Teams(value),
        TextFormat.Html => WebUtility.HtmlEncode(value),
        _ => value,
    };

    /// <summary>
    /// Slack asks for &amp;, &lt; and &gt; to be escaped as entities. It has no escape for its formatting
    /// characters, so a zero-width space after each keeps <c>*Sons*</c> from turning bold without
    /// changing what the reader sees.
    /// </summary>
    public static string Slack(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '&': text.Append("&amp;"); break;
                case '<': text.Append("&lt;"); break;
                case '>': text.Append("&gt;"); break;
                case '*' or '_' or '~' or '`': text.Append(c).Append('\u200B'); break;
                default: text.Append(c); break;
            }
        }

        return text.ToString();
    }

    /// <summary>TextBlocks render a Markdown subset: data must not turn into formatting or links.</summary>
    public static string Teams(string value) => value
        .Replace("\\", "\\\\").Replace("*", "\\*").Replace("_", "\\_").Replace("[", "\\[").Replace("]", "\\]").Replace("`", "\\`");
}
