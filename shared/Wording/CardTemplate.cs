using ContextPush.Contracts;
using System.Globalization;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;

namespace ContextPush.Wording;

/// <summary>
/// A push's card wording as a Liquid template (Fluid), so analysts change text without code. Values
/// from data are escaped for each target format by Fluid's output encoder; the template's own text is
/// taken as written, so it may use the target's markup (branch on <c>format</c> when it differs).
/// </summary>
public sealed partial class CardTemplate
{
    /// <summary>The wording every push gets unless it names its own template.</summary>
    public const string DefaultSource = """
        {{ account.name }}: {{ summary }}
        Owner: {% if owner %}{{ owner.name }}{% if owner.email %} ({{ owner.email }}){% endif %}{% else %}unknown{% endif %}
        {% if urgent_tickets > 0 %}Open high-priority tickets: {{ urgent_tickets }}{% endif %}
        {% if tickets.size > 0 %}Recent tickets: {% for t in tickets %}{{ t.subject }}{% unless forloop.last %} · {% endunless %}{% endfor %}{% endif %}
        {% if missing.size > 0 %}Not available: {{ missing | join: "; " }}{% endif %}
        """;

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();

    private readonly IFluidTemplate template;

    private CardTemplate(IFluidTemplate template, string name)
    {
        this.template = template;
        Name = name;
    }

    public static CardTemplate Default { get; } = Parse(DefaultSource, "(built-in template)");

    /// <summary>The file (or description) the template came from, for error messages.</summary>
    public string Name { get; }

    /// <summary>Parses a template; a syntax error names the file, line and column.</summary>
    public static CardTemplate Parse(string source, string name)
    {
        if (Parser.TryParse(source, out var parsed, out var error))
        {
            return new CardTemplate(parsed, name);
        }

        // Fluid says "'{% endif %}' was expected at (3:12)\nSource:…"; people want "file line 3, column 12: …".
        var first = error.Split('\n')[0].Trim();
        var at = Position().Match(first);
        throw new CardTemplateException(at.Success
            ? $"{name} line {at.Groups[2].Value}, column {at.Groups[3].Value}: {at.Groups[1].Value.Trim()}"
            : $"{name}: {first}");
    }

    public RenderedCard Render(CardFacts facts, TextFormat format)
    {
        var context = new TemplateContext(Options);
        foreach (var (name, value) in TemplateModel.From(facts, format))
        {
            context.SetValue(name, value);
        }

        var lines = template.Render(context, new FormatEncoder(format))
            .Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0)
            .ToList();
        if (lines.Count == 0)
        {
            throw new CardTemplateException($"{Name}: rendered nothing for push '{facts.Delta.PushId}'; the first line is the card's headline");
        }

        return new RenderedCard(lines[0], lines.Skip(1).ToList());
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { CultureInfo = CultureInfo.InvariantCulture };
        // 0.23 → "23%", and numbers without trailing noise: the two things every card says.
        options.Filters.AddFilter("percent", (input, _, _) =>
            input.IsNil() ? StringValue.Create("n/a") : StringValue.Create((input.ToNumberValue() * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%"));
        options.Filters.AddFilter("number", (input, _, _) =>
            StringValue.Create(input.IsNil() ? "n/a" : TemplateModel.Format(input.ToNumberValue())));
        // {{ m.value | metric_format: m.format, m.decimals }}: the same text the card's fields show.
        options.Filters.AddFilter("metric_format", (input, arguments, _) =>
        {
            var style = arguments.At(0).IsNil() ? null : arguments.At(0).ToStringValue();
            var decimals = arguments.At(1).IsNil() ? (int?)null : (int)arguments.At(1).ToNumberValue();
            var currency = arguments.At(2).IsNil() ? null : arguments.At(2).ToStringValue();
            var format = style is null ? null : new MetricFormat(style, decimals, currency);
            return StringValue.Create(MetricText.Format(input.IsNil() ? null : input.ToNumberValue(), format));
        });
        return options;
    }

    [GeneratedRegex(@"^(.*) at \((\d+):(\d+)\)")]
    private static partial Regex Position();
}
