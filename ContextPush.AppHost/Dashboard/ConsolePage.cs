using System.Text;
using ContextPush.AppHost.Hosting;
using static ContextPush.AppHost.Dashboard.Html;

namespace ContextPush.AppHost.Dashboard;

/// <summary>A resource's recent console output, as the terminal showed it.</summary>
internal static class ConsolePage
{
    public static string Render(ConsoleLog log, string? resource)
    {
        var picker = string.Join(" · ", log.Resources.Select(r => r == resource ? $"<b>{E(r)}</b>" : $"""<a href="/console/{E(r)}">{E(r)}</a>"""));
        if (resource is null)
        {
            return Page("Console", "Console", $"<p>{picker}</p><p class=\"muted\">Pick a resource.</p>");
        }

        var lines = new StringBuilder();
        foreach (var (at, line) in log.Recent(resource))
        {
            lines.Append(E($"{at:HH:mm:ss} {line}")).Append('\n');
        }

        return Page($"Console: {resource}", "Console", $"""<p>{picker}</p><pre id="console">{lines}</pre>""", refreshSeconds: 3);
    }
}
