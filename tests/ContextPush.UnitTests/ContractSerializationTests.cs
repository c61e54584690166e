using System.Text.Json;
using ContextPush.Contracts;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace ContextPush.UnitTests;

public class ContractSerializationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 30, 0, TimeSpan.Zero);

    public static DeltaDetected Delta() => new()
    {
        CorrelationId = Guid.Parse("6a0c0d2b-47a4-4c5e-9d1b-2f8a1c3e5b70"),
        DeltaId = Guid.Parse("0b1d9a4e-8c2f-8e3a-9b7c-5d6e7f801234"),
        RunId = Guid.Parse("7c3e2a10-1d4b-4f6a-8e9c-0a1b2c3d4e5f"),
        PushId = "churn-risk",
        Topic = "churn-risk",
        AccountKey = "42",
        Kind = DeltaKind.Changed,
        Metrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.8512m, ["usage_drop"] = null },
        PreviousMetrics = new Dictionary<string, decimal?> { ["churn_probability"] = 0.61m, ["usage_drop"] = 0.05m },
        DetectedAt = At,
        Settings = new Dictionary<string, string> { ["throttle:frequency"] = "7d", ["delivery:slack:channel"] = "#cs" },
    };

    public static AssembledContext Context() => new()
    {
        AccountName = "<Acme & *Sons*>",
        Owner = new AccountOwner("Ada Lovelace", "ada@example.com", "U123ABC"),
        Tickets = [new SupportTicket("SSO fails", "high", "open", At.AddDays(-1))],
        Headline = "Acme: churn probability 0.85 (was 0.61)",
        Lines = ["Owner: Ada Lovelace", "Recent tickets: SSO fails"],
        Links = [new CardLink("Open in Salesforce", "https://example.my.salesforce.com/001")],
        Missing = [],
    };

    public static TheoryData<object> Messages() =>
    [
        Delta(),
        new ContextAssembled { CorrelationId = Delta().CorrelationId, DeltaId = Delta().DeltaId, Delta = Delta(), Context = Context() },
        new DeliveryApproved { CorrelationId = Delta().CorrelationId, DeltaId = Delta().DeltaId, Delta = Delta(), Context = Context(), ApprovedAt = At },
        new DeliverySuppressed
        {
            CorrelationId = Delta().CorrelationId, DeltaId = Delta().DeltaId, PushId = "churn-risk", AccountKey = "42",
            Reason = "frequency-cap", Detail = "frequency cap until 2026-12-01", DecidedAt = At,
        },
        new Delivered
        {
            CorrelationId = Delta().CorrelationId, DeltaId = Delta().DeltaId, PushId = "churn-risk", AccountKey = "42",
            Channel = "slack", Destination = "C024BE91L", MessageId = "1503435956.000247", DeliveredAt = At,
        },
        new CardActioned
        {
            CorrelationId = Delta().CorrelationId, DeltaId = Delta().DeltaId, PushId = "churn-risk", AccountKey = "42",
            Action = CardAction.Snoozed, ActorId = "U123ABC", ActorName = "ada", SnoozeDays = 7, ActedAt = At,
            Channel = "slack", MessageId = "1503435956.000247",
        },
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_contract_survives_MassTransits_serializer_unchanged(object message)
    {
        var roundTripped = (object)typeof(ContractSerializationTests).GetMethod(nameof(RoundTrip))!
            .MakeGenericMethod(message.GetType()).Invoke(null, [message])!;

        Assert.IsType(message.GetType(), roundTripped);
        Assert.Equal(JsonSerializer.Serialize(message, message.GetType()), JsonSerializer.Serialize(roundTripped, message.GetType()));
    }

    [Fact]
    public void The_wire_name_is_the_full_type_name_in_the_frozen_namespace() =>
        Assert.Equal("urn:message:ContextPush.Contracts:DeltaDetected", MessageUrn.ForTypeString<DeltaDetected>());

    public static T RoundTrip<T>(T message) where T : class
    {
        var serializer = new SystemTextJsonMessageSerializer();
        var body = serializer.GetMessageBody(new MessageSendContext<T>(message));
        var context = serializer.Deserialize(body, new DictionarySendHeaders(new Dictionary<string, object?>()), new Uri("loopback://localhost/"));
        Assert.True(context.TryGetMessage<T>(out var received), $"{typeof(T).Name} did not deserialize");
        return received!;
    }
}
