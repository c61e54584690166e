using System.Globalization;
using System.Text.RegularExpressions;
using ContextPush.Contracts;
using Cronos;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ContextPush.PushFiles;

/// <summary>Reads and validates every push file in a folder; a broken file is reported and skipped, never fatal.</summary>
public static partial class PushLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static (IReadOnlyList<PushDefinition> Pushes, IReadOnlyList<PushLoadError> Errors) LoadFolder(string folder)
    {
        var pushes = new List<PushDefinition>();
        var errors = new List<PushLoadError>();
        if (!Directory.Exists(folder))
        {
            errors.Add(new PushLoadError(folder, "Detector:PushesPath", "the folder does not exist; set Detector:PushesPath to the folder of push files"));
            return (pushes, errors);
        }

        var files = Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml")).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var result = Load(file, File.ReadAllText(file));
            if (result.Push is { } push && pushes.Any(p => p.Id == push.Id))
            {
                errors.Add(new PushLoadError(file, "id", $"'{push.Id}' is already used by {pushes.First(p => p.Id == push.Id).File}; give each push its own id"));
            }
            else if (result.Push is not null)
            {
                pushes.Add(result.Push);
            }
            else
            {
                errors.Add(result.Error!);
            }
        }

        return (pushes, errors);
    }

    /// <summary>One push file: the push, or the first error found with the line of its field.</summary>
    public static (PushDefinition? Push, PushLoadError? Error) Load(string file, string yaml)
    {
        var (push, error) = Read(file, yaml);
        return (push, error is { Line: null } ? error with { Line = YamlLines.LineOf(yaml, error.Field) } : error);
    }

    private static (PushDefinition? Push, PushLoadError? Error) Read(string file, string yaml)
    {
        PushFile? raw;
        try
        {
            raw = Yaml.Deserialize<PushFile>(yaml);
        }
        catch (YamlException e)
        {
            var message = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            var m = UnknownField().Match(message);
            var field = m.Success ? m.Groups[1].Value : $"line {e.Start.Line}";
            return (null, new PushLoadError(file, field, m.Success
                ? $"unknown field '{m.Groups[1].Value}' (line {e.Start.Line}); allowed: id, description, topic, warehouse, cohort, key, metrics, changes, schedule, time_zone, timeout, first_run, context, throttle, delivery"
                : $"not valid YAML: {message}") { Line = (int)e.Start.Line });
        }

        if (raw is null)
        {
            return (null, new PushLoadError(file, "(file)", "the file is empty; a push needs at least id, cohort, key, metrics and schedule"));
        }

        var error = Validate(raw);
        if (error is { } e2)
        {
            return (null, new PushLoadError(file, e2.Field, e2.Message));
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Flatten("context", raw.Context, settings);
        Flatten("throttle", raw.Throttle, settings);
        Flatten("delivery", raw.Delivery, settings);
        if (settings.ContainsKey("context:template_source"))
        {
            // Only context.template may set it, from the template file.
            return (null, new PushLoadError(file, "context.template_source", "unknown field; name a Liquid file with context.template instead"));
        }

        var (typed, problem) = PushSettingsReader.Read(settings);
        if (problem is not null)
        {
            return (null, new PushLoadError(file, problem.Field, problem.Message));
        }

        if (typed!.Throttle.Priority.Metric is { } judged && raw.Metrics!.All(m => m.Name != judged))
        {
            return (null, new PushLoadError(file, "throttle.priority.metric",
                $"'{judged}' is not one of this push's metrics; use one of {string.Join(", ", raw.Metrics!.Select(m => m.Name))}"));
        }

        if (typed.Delivery.CrmTask?.Fields.Keys.FirstOrDefault(f => raw.Metrics!.All(m => m.Name != f)) is { } unknownMetric)
        {
            return (null, new PushLoadError(file, $"delivery.crm.fields.{unknownMetric}",
                $"'{unknownMetric}' is not one of this push's metrics; use one of {string.Join(", ", raw.Metrics!.Select(m => m.Name))}"));
        }

        if (PushTemplate.Load(file, settings) is { } templateError)
        {
            return (null, new PushLoadError(file, templateError.Field, templateError.Message));
        }

        typed = typed with { Context = typed.Context with { TemplateSource = settings.GetValueOrDefault("context:template_source") } };

        return (new PushDefinition
        {
            Id = raw.Id!,
            File = file,
            Description = raw.Description?.Trim() ?? "",
            Topic = raw.Topic ?? raw.Id!,
            CohortSql = raw.Cohort!.Trim().TrimEnd(';'),
            Key = raw.Key!,
            Metrics = raw.Metrics!.Select(m => new MetricDefinition(m.Name!, m.Tolerance, m.RelativeTolerance,
                m.Format is null ? null : new MetricFormat(m.Format, m.Decimals, m.Currency?.ToUpperInvariant()))).ToList(),
            Warehouse = raw.Warehouse ?? "warehouse",
            Changes = raw.Changes is null
                ? new HashSet<DeltaKind>(Enum.GetValues<DeltaKind>())
                : raw.Changes.Select(c => Enum.Parse<DeltaKind>(c, ignoreCase: true)).ToHashSet(),
            Timeout = raw.Timeout is null ? null : DurationText.Parse(raw.Timeout, "timeout"),
            Schedule = raw.Schedule!,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById(raw.TimeZone ?? "UTC"),
            SendOnFirstRun = raw.FirstRun == "send",
            Settings = settings,
            TypedSettings = typed,
        }, null);
    }

    private static (string Field, string Message)? Validate(PushFile raw)
    {
        if (string.IsNullOrWhiteSpace(raw.Id) || !Slug().IsMatch(raw.Id))
        {
            return ("id", "required: lowercase letters, digits and hyphens, e.g. 'churn-risk'");
        }

        if (string.IsNullOrWhiteSpace(raw.Cohort))
        {
            return ("cohort", "required: the SQL that selects the cohort, returning the key and metric columns");
        }

        if (raw.Key is not { Count: > 0 })
        {
            return ("key", "required: the column(s) that identify a row, e.g. key: [account_id]");
        }

        if (raw.Key.FirstOrDefault(k => !Identifier().IsMatch(k)) is { } badKey)
        {
            return ("key", $"'{badKey}' is not a column name; use lowercase letters, digits and underscores");
        }

        if (raw.Metrics is not { Count: > 0 })
        {
            return ("metrics", "required: at least one metric column to watch, e.g. metrics: [{name: usage_drop, tolerance: 0.05}]");
        }

        for (var i = 0; i < raw.Metrics.Count; i++)
        {
            var metric = raw.Metrics[i];
            if (metric.Name is null || !Identifier().IsMatch(metric.Name))
            {
                return ($"metrics[{i}].name", "required: a column name of lowercase letters, digits and underscores");
            }

            if (metric.Tolerance is < 0)
            {
                return ($"metrics[{i}].tolerance", "must be zero or more: the smallest absolute change that counts");
            }

            if (metric.RelativeTolerance is < 0)
            {
                return ($"metrics[{i}].relative_tolerance", "must be zero or more: the smallest change relative to the last notified value (0.1 = 10%)");
            }

            if (metric.Format is { } style && !MetricFormat.Styles.Contains(style))
            {
                return ($"metrics[{i}].format", $"'{style}' is not a format; use one of {string.Join(", ", MetricFormat.Styles)}");
            }

            if (metric.Decimals is < 0 or > 6)
            {
                return ($"metrics[{i}].decimals", $"{metric.Decimals} is out of range; use 0 to 6 digits after the point");
            }

            if ((metric.Decimals is not null || metric.Currency is not null) && metric.Format is null)
            {
                return ($"metrics[{i}].format", "decimals and currency need a format; add format: percent, number, integer or currency");
            }

            if (metric.Currency is { } code && (metric.Format != "currency" || !CurrencyCode().IsMatch(code)))
            {
                return ($"metrics[{i}].currency", metric.Format != "currency"
                    ? "only a currency metric has a currency; set format: currency or remove it"
                    : $"'{code}' is not an ISO 4217 code; use three letters such as USD or EUR");
            }

            if (raw.Metrics.Take(i).Any(m => m.Name == metric.Name))
            {
                return ($"metrics[{i}].name", $"'{metric.Name}' is listed twice; list each metric once");
            }
        }

        if (string.IsNullOrWhiteSpace(raw.Schedule))
        {
            return ("schedule", "required: a cron expression such as '0 8 * * 1-5' (five fields, or six with seconds)");
        }

        try
        {
            CronExpression.Parse(raw.Schedule, raw.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return ("schedule", $"'{raw.Schedule}' is not a valid cron expression ({e.Message}); use five fields, e.g. '0 8 * * 1-5'");
        }

        if (raw.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            return ("time_zone", $"'{zone}' is not a known time zone; use an IANA name such as 'Europe/Berlin' or 'UTC'");
        }

        if (raw.Warehouse is { } warehouse && !Identifier().IsMatch(warehouse) && !Slug().IsMatch(warehouse))
        {
            return ("warehouse", $"'{warehouse}' is not a connection name; use the name of a ConnectionStrings entry such as 'warehouse'");
        }

        if (raw.Changes?.FirstOrDefault(c => !Enum.TryParse<DeltaKind>(c, ignoreCase: true, out _)) is { } change)
        {
            return ("changes", $"'{change}' is not a kind of change; use any of entered, changed, left");
        }

        if (raw.Changes is { Count: 0 })
        {
            return ("changes", "lists no kind of change, so the push could never send anything; use any of entered, changed, left");
        }

        if (raw.Timeout is { } timeout)
        {
            try
            {
                DurationText.Parse(timeout, "timeout");
            }
            catch (FormatException)
            {
                return ("timeout", $"'{timeout}' is not a duration; write e.g. 90s or 5m");
            }
        }

        if (raw.FirstRun is not (null or "baseline" or "send"))
        {
            return ("first_run", $"'{raw.FirstRun}' is not allowed; use 'baseline' (record only) or 'send'");
        }

        return null;
    }

    private static void Flatten(string prefix, object? node, Dictionary<string, string> into)
    {
        switch (node)
        {
            case IDictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    Flatten($"{prefix}:{key}", value, into);
                }

                break;
            case IDictionary<object, object?> map:
                foreach (var (key, value) in map)
                {
                    Flatten($"{prefix}:{Convert.ToString(key, CultureInfo.InvariantCulture)}", value, into);
                }

                break;
            case IList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    Flatten($"{prefix}:{i}", list[i], into);
                }

                break;
            case null:
                break;
            default:
                into[prefix] = Convert.ToString(node, CultureInfo.InvariantCulture) ?? "";
                break;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();

    [GeneratedRegex("Property '([^']+)' not found")]
    private static partial Regex UnknownField();
}
