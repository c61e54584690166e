using System.ComponentModel;

namespace ContextPush.PushFiles;

/// <summary>
/// The YAML shape of a push file; unknown fields are rejected by the deserializer. The
/// descriptions are what editors show through <see cref="PushSchema"/>.
/// </summary>
public sealed class PushFile
{
    [Description("The push's id: lowercase letters, digits and hyphens, e.g. churn-risk.")]
    public string? Id { get; set; }

    [Description("What the push watches and why, for the people who receive it.")]
    public string? Description { get; set; }

    [Description("The topic a frequency cap counts per account; the id by default.")]
    public string? Topic { get; set; }

    [Description("The connection name of the warehouse the cohort runs on; warehouse by default.")]
    public string? Warehouse { get; set; }

    [Description("Which kinds of change are sent: any of entered, changed, left (all by default).")]
    public List<string>? Changes { get; set; }

    [Description("The cohort query's statement timeout, e.g. 90s or 5m; the Detector's default when absent.")]
    public string? Timeout { get; set; }

    [Description("One read-only SELECT returning the key and metric columns of the cohort.")]
    public string? Cohort { get; set; }

    [Description("The column(s) that identify a row, e.g. [account_id].")]
    public List<string>? Key { get; set; }

    [Description("The numeric columns to watch, and how far each must move to count.")]
    public List<PushFileMetric>? Metrics { get; set; }

    [Description("When the push runs: a cron expression, five fields (or six with seconds), e.g. '0 8 * * 1-5'.")]
    public string? Schedule { get; set; }

    [Description("The IANA time zone the schedule is read in, e.g. Europe/Berlin; UTC by default.")]
    public string? TimeZone { get; set; }

    [Description("baseline (default) records the first run without sending; send sends every row as entered.")]
    public string? FirstRun { get; set; }

    [Description("Where the card's context comes from: owner, tickets and the card template.")]
    public Dictionary<string, object?>? Context { get; set; }

    [Description("Alert fatigue: frequency cap, priority threshold, owner budget and digests.")]
    public Dictionary<string, object?>? Throttle { get; set; }

    [Description("Where cards go: Slack, Teams, email or the console.")]
    public Dictionary<string, object?>? Delivery { get; set; }
}

public sealed class PushFileMetric
{
    [Description("The metric column: lowercase letters, digits and underscores.")]
    public string? Name { get; set; }

    [Description("The smallest absolute move that counts.")]
    public decimal? Tolerance { get; set; }

    [Description("The smallest move relative to the last notified value that counts (0.1 = 10%).")]
    public decimal? RelativeTolerance { get; set; }

    [Description("How cards show it: percent (0.913 reads 91.3%), number, integer or currency.")]
    public string? Format { get; set; }

    [Description("Digits after the point, 0 to 6; percent shows 1, number and currency 2 by default.")]
    public int? Decimals { get; set; }

    [Description("For format: currency, its ISO 4217 code (USD by default).")]
    public string? Currency { get; set; }
}
