using System.Globalization;
using System.Text.RegularExpressions;
using ContextPush.Wording;

namespace ContextPush.Detector.Pushes;

/// <summary>
/// Checks a push's context section at load, so a typo in a source name or a broken template is
/// reported at start (with file, field and line) instead of showing up as odd cards later. The
/// template's text travels in the delta, so the Assembler needs no access to the push folder.
/// </summary>
public static partial class PushContextRules
{
    private static readonly string[] Allowed =
        ["owner", "tickets", "ticket_count", "owner_sql", "tickets_sql", "crm_label", "hubspot_id_property", "salesforce_match_field", "slack_lookup", "template"];

    public static (string Field, string Message)? Check(string file, Dictionary<string, string> settings)
    {
        foreach (var key in settings.Keys.Where(k => k.StartsWith("context:", StringComparison.Ordinal)))
        {
            var name = key["context:".Length..];
            if (!Allowed.Contains(name))
            {
                return ($"context.{name.Replace(':', '.')}", $"unknown field; allowed: {string.Join(", ", Allowed)}");
            }
        }

        string? Value(string name) => settings.GetValueOrDefault($"context:{name}");
        if (Value("owner") is { } owner && owner is not ("warehouse" or "hubspot" or "salesforce"))
        {
            return ("context.owner", $"'{owner}' is not an owner source; use warehouse (the default), hubspot or salesforce");
        }

        if (Value("tickets") is { } tickets && tickets is not ("warehouse" or "zendesk" or "none"))
        {
            return ("context.tickets", $"'{tickets}' is not a ticket source; use warehouse (the default), zendesk or none");
        }

        if (Value("ticket_count") is { } count && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 20))
        {
            return ("context.ticket_count", $"'{count}' is not a count from 0 to 20");
        }

        if (Value("slack_lookup") is { } lookup && lookup is not ("true" or "false"))
        {
            return ("context.slack_lookup", $"'{lookup}' is not true or false");
        }

        if (Value("hubspot_id_property") is { } property && !HubSpotProperty().IsMatch(property))
        {
            return ("context.hubspot_id_property", $"'{property}' is not a HubSpot property name (lowercase letters, digits, underscores)");
        }

        if (Value("salesforce_match_field") is { } field && !SalesforceField().IsMatch(field))
        {
            return ("context.salesforce_match_field", $"'{field}' is not a Salesforce field name, e.g. AccountNumber or External_Id__c");
        }

        return Value("template") is { } template ? LoadTemplate(file, template, settings) : null;
    }

    private static (string Field, string Message)? LoadTemplate(string file, string template, Dictionary<string, string> settings)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", template);
        if (!File.Exists(path))
        {
            return ("context.template", $"'{template}' not found next to the push file (looked for {path})");
        }

        var source = File.ReadAllText(path);
        try
        {
            CardTemplate.Parse(source, template);
        }
        catch (CardTemplateException e)
        {
            return ("context.template", e.Message);
        }

        settings["context:template_source"] = source;
        return null;
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex HubSpotProperty();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex SalesforceField();
}
