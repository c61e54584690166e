using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static ContextPush.Dispatcher.Preview.PreviewHtml;

namespace ContextPush.Dispatcher.Preview;

/// <summary>
/// A Block Kit message drawn roughly as Slack would: header, fields, context lines and buttons. The
/// mrkdwn is already entity-escaped by the Dispatcher, so only Slack's own sequences need turning
/// into HTML; any other angle bracket is escaped.
/// </summary>
internal static partial class BlockKitPreview
{
    public static string Render(JsonNode? message)
    {
        var html = new StringBuilder("<div class=\"card\">");
        foreach (var block in message?["blocks"]?.AsArray() ?? [])
        {
            switch ((string?)block?["type"])
            {
                case "header":
                    html.Append($"<h3>{E((string?)block!["text"]?["text"])}</h3>");
                    break;
                case "section":
                    if (block!["text"] is { } text)
                    {
                        html.Append($"<div>{Mrkdwn(text)}</div>");
                    }

                    var fields = block["fields"]?.AsArray().Select(f => $"<div>{Mrkdwn(f)}</div>") ?? [];
                    html.Append($"<div class=\"fields\">{string.Join("", fields)}</div>");
                    break;
                case "context":
                    foreach (var element in block!["elements"]?.AsArray() ?? [])
                    {
                        html.Append($"<div class=\"ctx\">{Mrkdwn(element)}</div>");
                    }

                    break;
                case "actions":
                    foreach (var button in block!["elements"]?.AsArray() ?? [])
                    {
                        html.Append($"<span class=\"btn {((string?)button?["style"] == "primary" ? "primary" : "")}\">{E((string?)button?["text"]?["text"])}</span>");
                    }

                    break;
            }
        }

        return html.Append("</div>").ToString();
    }

    private static string Mrkdwn(JsonNode? node)
    {
        var text = ((string?)node?["text"] ?? "").Replace("\u200B", "");
        if ((string?)node?["type"] == "plain_text")
        {
            return E(text);
        }

        text = Special().Replace(text, m => m.Groups[1].Value switch
        {
            var v when v.StartsWith('@') => $"\u0001b\u0002@{v[1..]}\u0001/b\u0002",
            var v when v.Contains('|') => $"\u0001u\u0002{v[(v.IndexOf('|') + 1)..]}\u0001/u\u0002",
            var v => v,
        });
        text = text.Replace("<", "&lt;").Replace(">", "&gt;").Replace("\u0001", "<").Replace("\u0002", ">");
        return Bold().Replace(text, "<b>$1</b>").Replace("\n", "<br>");
    }

    [GeneratedRegex("<([^<>]+)>")]
    private static partial Regex Special();

    [GeneratedRegex(@"\*([^*\n]+)\*")]
    private static partial Regex Bold();
}
