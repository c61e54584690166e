using ContextPush.Contracts;
using ContextPush.PushFiles;

namespace ContextPush.Testing;

/// <summary>Pipeline messages as a service would publish them, for tests that enter the pipeline midway.</summary>
public static class TestMessages
{
    public static DeltaDetected Delta(string pushId, string accountKey, decimal churn = 0.9m, DeltaKind kind = DeltaKind.Entered,
        IReadOnlyDictionary<string, string>? settings = null, IReadOnlyDictionary<string, decimal?>? previous = null) => new()
    {
        CorrelationId = Guid.NewGuid(),
        DeltaId = Guid.NewGuid(),
        RunId = Guid.NewGuid(),
        PushId = pushId,
        Topic = pushId,
        AccountKey = accountKey,
        Kind = kind,
        Metrics = new Dictionary<string, decimal?> { ["churn_probability"] = churn },
        PreviousMetrics = previous ?? new Dictionary<string, decimal?>(),
        DetectedAt = DateTimeOffset.UtcNow,
        Settings = settings ?? new Dictionary<string, string>(),
        // Typed as the Detector types them at load; a test's settings must be valid as a push file's.
        PushSettings = PushSettingsReader.Read(settings ?? new Dictionary<string, string>()) is ({ } typed, null)
            ? typed
            : throw new ArgumentException($"invalid test settings: {PushSettingsReader.Read(settings!).Problem}"),
    };

    /// <summary>
    /// A poison message: a delta whose settings (in the legacy, untyped form) no stage can read, so
    /// each stage refuses it at once and it is parked in that stage's error queue.
    /// </summary>
    public static DeltaDetected Poison(string pushId) => Delta(pushId, Guid.NewGuid().ToString("N")) with
    {
        Settings = new Dictionary<string, string> { ["context:owner"] = "oracle" },
        PushSettings = null,
    };

    public static ContextAssembled Assembled(DeltaDetected delta, AssembledContext? context = null) => new()
    {
        CorrelationId = delta.CorrelationId,
        DeltaId = delta.DeltaId,
        Delta = delta,
        Context = context ?? new AssembledContext { AccountName = delta.AccountKey, Headline = "h", Tickets = [], Lines = [], Links = [], Missing = [] },
    };

    /// <summary>An approval of a new delta of <paramref name="pushId"/> whose card goes to the Slack <paramref name="channel"/>.</summary>
    public static DeliveryApproved Approved(string pushId, string channel)
    {
        var delta = Delta(pushId, Guid.NewGuid().ToString("N"), settings: new Dictionary<string, string> { ["delivery:slack:channel"] = channel });
        return new DeliveryApproved
        {
            CorrelationId = delta.CorrelationId, DeltaId = delta.DeltaId, Delta = delta, ApprovedAt = DateTimeOffset.UtcNow,
            Context = Assembled(delta).Context,
        };
    }
}
