namespace ContextPush.Contracts;

/// <summary>
/// Published by Callbacks once a week for each push that sent cards: its adoption figures and any
/// noisy flag. Consumed by Dispatcher, which sends it as a card to the push's channel like any other
/// card: claimed once by <see cref="ReportId"/>, paced, and tried again while the platform is away.
/// </summary>
public sealed record AdoptionReportDue
{
    /// <summary>Deterministic from push and week, so a report published twice (two replicas, a restart) is sent once.</summary>
    public required Guid ReportId { get; init; }

    /// <summary>A correlation id of the report's own.</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The push (its file's id).</summary>
    public required string PushId { get; init; }

    /// <summary>The figures are of the cards delivered from here…</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>…to here, the report's due time.</summary>
    public required DateTimeOffset Until { get; init; }

    /// <summary>Cards delivered in the period.</summary>
    public required long Delivered { get; init; }

    /// <summary>Of them, opened (a link followed).</summary>
    public required long Opened { get; init; }

    /// <summary>Of them, marked as reviewed.</summary>
    public required long Reviewed { get; init; }

    /// <summary>Of them, snoozed.</summary>
    public required long Snoozed { get; init; }

    /// <summary>A first action within the days to act.</summary>
    public required long ActedOn { get; init; }

    /// <summary>The days to act passed without an action.</summary>
    public required long Ignored { get; init; }

    /// <summary>Still within their days to act.</summary>
    public required long Pending { get; init; }

    /// <summary>Acted on, of acted on and ignored; absent before any.</summary>
    public double? ActedOnRate { get; init; }

    /// <summary>The median time from card to first action.</summary>
    public double? MedianSecondsToFirstAction { get; init; }

    /// <summary>The 90th percentile of the time from card to first action.</summary>
    public double? P90SecondsToFirstAction { get; init; }

    /// <summary>Deltas the Throttler held back, by reason.</summary>
    public required IReadOnlyDictionary<string, long> SuppressedBy { get; init; }

    /// <summary>Deltas no platform took.</summary>
    public required long Failed { get; init; }

    /// <summary>The noisy-push flag with its suggestion, in words; absent when the push is not flagged.</summary>
    public string? NoisyFlag { get; init; }
}
