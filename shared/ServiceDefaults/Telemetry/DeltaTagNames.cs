namespace ContextPush.ServiceDefaults.Telemetry;

/// <summary>
/// The names on-call searches traces and logs by, the same in every service: a delta is found by its
/// id, and its siblings by push and account.
/// </summary>
public static class DeltaTagNames
{
    public const string PushId = "contextpush.push_id";
    public const string AccountKey = "contextpush.account_key";
    public const string DeltaId = "contextpush.delta_id";
    public const string RunId = "contextpush.run_id";

    /// <summary>The three tags of one delta, for a span started outside a consumer (its detection, a click, a redelivery).</summary>
    public static KeyValuePair<string, object?>[] Of(string pushId, string accountKey, Guid deltaId) =>
        [new(PushId, pushId), new(AccountKey, accountKey), new(DeltaId, deltaId.ToString())];
}
