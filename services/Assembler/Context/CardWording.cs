using System.Collections.Concurrent;
using ContextPush.PushFiles;
using ContextPush.Wording;

namespace ContextPush.Assembler.Context;

/// <summary>
/// Renders a push's template (carried in the delta by the Detector, which checked it at load) once per
/// target format. A template that fails here (from an older Detector, or a value it cannot render)
/// falls back to the built-in wording and says so on the card, rather than holding the delta back.
/// </summary>
public sealed class CardWording
{
    private readonly ConcurrentDictionary<string, CardTemplate> parsed = new();

    public sealed record Result(RenderedCard Text, IReadOnlyDictionary<string, IReadOnlyList<string>> Formatted, string? Problem);

    public Result Render(CardFacts facts)
    {
        var settings = PushSettingsReader.Of(facts.Delta).Context;
        var source = settings.TemplateSource;
        if (source is null)
        {
            return RenderAll(CardTemplate.Default, facts, null);
        }

        try
        {
            var name = settings.Template ?? "template";
            return RenderAll(parsed.GetOrAdd(source, s => CardTemplate.Parse(s, name)), facts, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var problem = $"wording: {e.Message}; the built-in wording was used";
            return RenderAll(CardTemplate.Default, facts with { Missing = [.. facts.Missing, problem] }, problem);
        }
    }

    private static Result RenderAll(CardTemplate template, CardFacts facts, string? problem) => new(
        template.Render(facts, TextFormat.Text),
        FormatsFor(PushSettingsReader.Of(facts.Delta).Delivery.Channel).ToDictionary(FormattedContext.Key, f => template.Render(facts, f).Lines),
        problem);

    /// <summary>
    /// Only the formats the push's card can be shown in: its channel's, and Slack's for the dashboard's
    /// preview of every card. No channel means Slack or the console, as the Dispatcher is configured.
    /// Each render builds the template's model and output again, for every delta.
    /// </summary>
    private static TextFormat[] FormatsFor(string? channel) => channel switch
    {
        "teams" => [TextFormat.Slack, TextFormat.Teams],
        "email" => [TextFormat.Slack, TextFormat.Html],
        _ => [TextFormat.Slack],
    };
}
