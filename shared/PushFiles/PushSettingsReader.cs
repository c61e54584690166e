using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContextPush.Contracts;

namespace ContextPush.PushFiles;

/// <summary>
/// Reads a push's context, throttle and delivery sections (flattened to "throttle:priority:mode"
/// keys) into typed settings, checking every value. Detector does this when a push loads, so a typo
/// fails that push at start with the field and the fix, and no later stage parses a setting.
/// </summary>
public static partial class PushSettingsReader
{
    private static readonly string[] ContextFields =
        ["owner", "tickets", "ticket_count", "owner_sql", "tickets_sql", "crm_label", "hubspot_id_property", "salesforce_match_field", "slack_lookup", "template", "template_source"];

    private static readonly string[] ThrottleFields =
        ["frequency", "priority:mode", "priority:threshold", "priority:direction", "priority:window", "priority:min_observations",
         "priority:short_history", "priority:history_sql", "priority:metric", "owner_budget", "digest_at", "digest_time_zone"];

    private static readonly string[] DeliveryFields = ["channel", "slack:channel", "slack:fallback_channel", "teams:webhook", "email:to",
         "crm:system", "crm:due_in_days", "crm:priority", "crm:fields:*"];

    /// <summary>The typed sections, or the first problem found.</summary>
    public static (PushSettings? Settings, SettingsProblem? Problem) Read(IReadOnlyDictionary<string, string> flat) => Read(flat, null);

    /// <summary>
    /// Every setting this reader accepts ("throttle:priority:mode") with its JSON Schema, recorded by
    /// reading an empty push: the schema editors use is the reader's own account of itself.
    /// </summary>
    public static IReadOnlyList<(string Key, JsonObject Schema)> Describe()
    {
        var described = new List<(string, JsonObject)>();
        Read(new Dictionary<string, string>(), (key, schema) => described.Add((key, schema)));
        return described.Where(d => d.Item1 != "context:template_source").ToList();
    }

    private static (PushSettings? Settings, SettingsProblem? Problem) Read(IReadOnlyDictionary<string, string> flat, Action<string, JsonObject>? describe)
    {
        try
        {
            var reader = new SectionReader(flat, describe);
            reader.RejectUnknown("context", ContextFields);
            reader.RejectUnknown("throttle", ThrottleFields);
            reader.RejectUnknown("delivery", DeliveryFields);
            return (new PushSettings { Context = ReadContext(reader), Throttle = ReadThrottle(reader), Delivery = ReadDelivery(reader) }, null);
        }
        catch (ProblemException e)
        {
            return (null, e.Problem);
        }
    }

    /// <summary>
    /// A delta's typed settings: those Detector sent, or, from a Detector older than that field, its
    /// flattened sections read here. Throws <see cref="FormatException"/> for a value that never loaded.
    /// </summary>
    public static PushSettings Of(DeltaDetected delta)
    {
        if (delta.PushSettings is { } typed)
        {
            return typed;
        }

        var (settings, problem) = Read(delta.Settings);
        return settings ?? throw new FormatException($"push {delta.PushId}: {problem!.Field}: {problem.Message}");
    }

    private static ContextSettings ReadContext(SectionReader r) => new()
    {
        Owner = r.OneOf("context:owner", "warehouse", ["warehouse", "hubspot", "salesforce"], "an owner source"),
        Tickets = r.OneOf("context:tickets", "warehouse", ["warehouse", "zendesk", "none"], "a ticket source"),
        TicketCount = r.Int("context:ticket_count", 0, 20),
        OwnerSql = r.Text("context:owner_sql"),
        TicketsSql = r.Text("context:tickets_sql"),
        CrmLabel = r.Text("context:crm_label"),
        HubSpotIdProperty = r.Matching("context:hubspot_id_property", HubSpotProperty(), "a HubSpot property name (lowercase letters, digits, underscores)"),
        SalesforceMatchField = r.Matching("context:salesforce_match_field", SalesforceField(), "a Salesforce field name, e.g. AccountNumber or External_Id__c") ?? "Id",
        SlackLookup = r.Bool("context:slack_lookup") ?? true,
        Template = r.Text("context:template"),
        TemplateSource = r.Text("context:template_source"),
    };

    private static ThrottleSettings ReadThrottle(SectionReader r) => new()
    {
        Frequency = r.Duration("throttle:frequency"),
        Priority = new PrioritySettings
        {
            Mode = r.OneOf("throttle:priority:mode", "history", ["history", "peers", "off"], "a priority mode"),
            Threshold = r.Number("throttle:priority:threshold") ?? 2.0,
            Direction = r.OneOf("throttle:priority:direction", "either", ["up", "down", "either"], "a direction"),
            Window = r.Duration("throttle:priority:window") ?? TimeSpan.FromDays(14),
            MinObservations = r.Int("throttle:priority:min_observations", 2, 10_000) ?? 7,
            HoldShortHistory = r.OneOf("throttle:priority:short_history", "pass", ["pass", "hold"], "a short-history rule") == "hold",
            HistorySql = r.Text("throttle:priority:history_sql"),
            Metric = r.Text("throttle:priority:metric"),
        },
        OwnerBudget = r.Int("throttle:owner_budget", 1, 1_000),
        DigestAt = r.TimeOfDay("throttle:digest_at") ?? new TimeOnly(17, 0),
        DigestTimeZone = r.TimeZone("throttle:digest_time_zone") ?? "UTC",
    };

    private static DeliverySettings ReadDelivery(SectionReader r)
    {
        var delivery = new DeliverySettings
        {
            Channel = r.OneOfOrNull("delivery:channel", ["slack", "teams", "email", "console"], "a delivery channel"),
            SlackChannel = r.Matching("delivery:slack:channel", SlackDestination(), "a Slack channel ('#cs-alerts' or an id such as C0123ABCD)"),
            SlackFallbackChannel = r.Matching("delivery:slack:fallback_channel", SlackDestination(), "a Slack channel ('#customer-success' or an id such as C0123ABCD)"),
            TeamsWebhook = r.Matching("delivery:teams:webhook", WebhookName(), "a webhook name from Dispatcher:Teams:Webhooks (letters, digits, '-' and '_'), not the URL itself"),
            EmailTo = r.Matching("delivery:email:to", EmailAddress(), "an email address"),
            CrmTask = ReadCrmTask(r),
        };
        if (delivery.Channel == "teams" && delivery.TeamsWebhook is null)
        {
            throw new ProblemException(new("delivery.teams.webhook", "required when delivery.channel is teams: the name of a webhook in Dispatcher:Teams:Webhooks"));
        }

        return delivery;
    }

    private static CrmTaskSettings? ReadCrmTask(SectionReader r)
    {
        var system = r.OneOfOrNull("delivery:crm:system", ["salesforce", "hubspot"], "a CRM to write tasks into");
        var dueInDays = r.Int("delivery:crm:due_in_days", 0, 365);
        var priority = r.OneOfOrNull("delivery:crm:priority", ["high", "normal", "low"], "a task priority");
        var fields = r.Map("delivery:crm:fields", CrmField(), "a CRM field name (an Account field such as Churn_Risk__c, or a HubSpot company property such as churn_risk)");
        if (system is null)
        {
            return (dueInDays ?? priority ?? (object?)(fields.Count > 0 ? fields : null)) is null ? null
                : throw new ProblemException(new("delivery.crm.system", "required with delivery.crm: the CRM to write the task into (salesforce or hubspot)"));
        }

        return new CrmTaskSettings
        {
            System = system, DueInDays = dueInDays ?? 3, Priority = priority switch { "high" => "High", "low" => "Low", _ => "Normal" }, Fields = fields,
        };
    }

    /// <summary>Reads one value at a time, turning a bad one into a problem named as the file writes it (throttle.priority.mode).</summary>
    private sealed class SectionReader(IReadOnlyDictionary<string, string> flat, Action<string, JsonObject>? describe)
    {
        public void RejectUnknown(string section, string[] allowed)
        {
            var prefix = section + ":";
            foreach (var key in flat.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                var field = key[prefix.Length..];
                if (!allowed.Any(a => a.EndsWith(":*", StringComparison.Ordinal)
                        ? field.StartsWith(a[..^1], StringComparison.OrdinalIgnoreCase)
                        : string.Equals(a, field, StringComparison.OrdinalIgnoreCase)))
                {
                    Fail(key, $"unknown field; allowed in {section}: {string.Join(", ", allowed.Where(a => a != "template_source").Select(a => a.Replace(':', '.')))}");
                }
            }
        }

        public string? Text(string key) => Value(key, new JsonObject { ["type"] = "string" });

        /// <summary>A map of names to values (each matching <paramref name="pattern"/>), written as a nested section.</summary>
        public IReadOnlyDictionary<string, string> Map(string key, Regex pattern, string what)
        {
            describe?.Invoke(key, new JsonObject
            {
                ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string", ["pattern"] = pattern.ToString() },
            });
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in flat.Where(f => f.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)))
            {
                map[name[(key.Length + 1)..]] = pattern.IsMatch(value.Trim()) ? value.Trim() : Fail<string>(name, $"'{value}' is not {what}");
            }

            return map;
        }

        public string OneOf(string key, string fallback, string[] allowed, string what) => Value(key, new JsonObject
        {
            ["type"] = "string", ["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]), ["default"] = fallback,
        }) switch
        {
            null => fallback,
            var value when allowed.Contains(value, StringComparer.OrdinalIgnoreCase) => value.ToLowerInvariant(),
            var value => Fail<string>(key, $"'{value}' is not {what}; use {Options(allowed, fallback)}"),
        };

        public string? OneOfOrNull(string key, string[] allowed, string what) => Value(key, new JsonObject
        {
            ["type"] = "string", ["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]),
        }) switch
        {
            null => null,
            var value when allowed.Contains(value, StringComparer.OrdinalIgnoreCase) => value.ToLowerInvariant(),
            var value => Fail<string?>(key, $"'{value}' is not {what}; use {(allowed.Length == 1 ? allowed[0] : $"{string.Join(", ", allowed.SkipLast(1))} or {allowed[^1]}")}"),
        };

        public int? Int(string key, int min, int max) => Value(key, new JsonObject { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max }) switch
        {
            null => null,
            var value when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max => n,
            var value => Fail<int?>(key, $"'{value}' is not a whole number from {min} to {max}"),
        };

        public double? Number(string key) => Value(key, new JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 }) switch
        {
            null => null,
            var value when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
            var value => Fail<double?>(key, $"'{value}' is not a number above zero, e.g. 2 or 2.5"),
        };

        public bool? Bool(string key) => Value(key, new JsonObject { ["type"] = "boolean" })?.ToLowerInvariant() switch
        {
            null => null,
            "true" => true,
            "false" => false,
            var value => Fail<bool?>(key, $"'{value}' is not true or false"),
        };

        public TimeSpan? Duration(string key)
        {
            if (Value(key, new JsonObject { ["type"] = "string", ["pattern"] = DurationText.Pattern }) is not { } value)
            {
                return null;
            }

            try
            {
                return DurationText.Parse(value, Field(key));
            }
            catch (FormatException)
            {
                return Fail<TimeSpan?>(key, $"'{value}' is not a duration; write e.g. 7d, 12h, 30m or 90s");
            }
        }

        public TimeOnly? TimeOfDay(string key) => Value(key, new JsonObject { ["type"] = "string", ["pattern"] = @"^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$" }) switch
        {
            null => null,
            var value when TimeOnly.TryParseExact(value, ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) => time,
            var value => Fail<TimeOnly?>(key, $"'{value}' is not a time of day; write it as 24-hour HH:mm in quotes, e.g. \"17:00\""),
        };

        public string? TimeZone(string key) => Value(key, new JsonObject { ["type"] = "string", ["description"] = "an IANA time zone such as Europe/Berlin" }) switch
        {
            null => null,
            var value when TimeZoneInfo.TryFindSystemTimeZoneById(value, out _) => value,
            var value => Fail<string?>(key, $"'{value}' is not a known time zone; use an IANA name such as 'Europe/Berlin' or 'UTC'"),
        };

        public string? Matching(string key, Regex pattern, string what) => Value(key, new JsonObject
        {
            ["type"] = "string", ["pattern"] = pattern.ToString(), ["description"] = what,
        }) switch
        {
            null => null,
            var value when pattern.IsMatch(value) => value,
            var value => Fail<string?>(key, $"'{value}' is not {what}"),
        };

        /// <summary>The trimmed text of a setting, after telling <c>describe</c> what it may hold.</summary>
        private string? Value(string key, JsonObject schema)
        {
            describe?.Invoke(key, schema);
            return flat.GetValueOrDefault(key) is { } value && value.Trim().Length > 0 ? value.Trim() : null;
        }

        private static string Options(string[] allowed, string fallback) =>
            string.Join(", ", allowed.Select(a => a == fallback ? $"{a} (the default)" : a).SkipLast(1)) + " or " + allowed[^1];

        private static string Field(string key) => key.Replace(':', '.');

        private static T Fail<T>(string key, string message) => throw new ProblemException(new(Field(key), message));

        private static void Fail(string key, string message) => throw new ProblemException(new(Field(key), message));
    }

    private sealed class ProblemException(SettingsProblem problem) : Exception(problem.Message)
    {
        public SettingsProblem Problem { get; } = problem;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,99}$")]
    private static partial Regex HubSpotProperty();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,79}$")]
    private static partial Regex SalesforceField();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,79}$")]
    private static partial Regex CrmField();

    [GeneratedRegex(@"^(#[a-z0-9][a-z0-9._-]{0,79}|[CDGU][A-Z0-9]{2,})$")]
    private static partial Regex SlackDestination();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex WebhookName();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailAddress();
}
