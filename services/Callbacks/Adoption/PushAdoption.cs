namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// One push's figures over a period: cards delivered and what people did with them. A card is acted on
/// when its first action came within the window, ignored when the window passed without one, and
/// pending while its window runs.
/// </summary>
public sealed record PushAdoption(
    string PushId, long Delivered, long Opened, long Reviewed, long Snoozed, long ActedOn, long Ignored,
    double? MedianSecondsToFirstAction, double? P90SecondsToFirstAction)
{
    public long Pending => Delivered - ActedOn - Ignored;

    /// <summary>Acted on, of the cards whose window has passed or that were acted on; none before any.</summary>
    public double? ActedOnRate => ActedOn + Ignored == 0 ? null : (double)ActedOn / (ActedOn + Ignored);

    public Dictionary<string, long> SuppressedBy { get; } = [];

    public long Failed { get; set; }
}
