namespace ContextPush.Contracts;

/// <summary>
/// A push's <c>delivery.crm</c>: each delta also becomes a task on its account in the CRM the owner came
/// from, assigned to that owner; delivered once per delta beside the card, and completed when the delta
/// resolves or its card is reviewed. Part of <see cref="DeliverySettings"/>.
/// </summary>
public sealed record CrmTaskSettings
{
    /// <summary>"salesforce" or "hubspot": the CRM the owner comes from (context.owner).</summary>
    public required string System { get; init; }

    /// <summary>The task's due date, in days after delivery.</summary>
    public int DueInDays { get; init; } = 3;

    /// <summary>High, Normal or Low, Salesforce's words (HubSpot's HIGH, MEDIUM, LOW).</summary>
    public string Priority { get; init; } = "Normal";

    /// <summary>
    /// Metrics written onto the account itself (metric name to a Salesforce Account field or a HubSpot
    /// company property), so the CRM's own lists and reports show the same numbers; empty for none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>Equal when every setting is, the fields included.</summary>
    public bool Equals(CrmTaskSettings? other) =>
        other is not null && System == other.System && DueInDays == other.DueInDays && Priority == other.Priority
        && Fields.Count == other.Fields.Count && Fields.All(f => other.Fields.TryGetValue(f.Key, out var v) && v == f.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(System, DueInDays, Priority, Fields.Count);
}
