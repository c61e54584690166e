namespace ContextPush.Contracts;

/// <summary>
/// What an interactive card button carries (Slack's button <c>value</c>, as JSON), written by
/// Dispatcher and read back by Callbacks, so a click identifies its delta without a lookup.
/// </summary>
/// <param name="DeltaId">The delta the card is about.</param>
/// <param name="CorrelationId">The delivery chain's correlation id, so a click joins its trace.</param>
/// <param name="PushId">The push that detected the delta.</param>
/// <param name="AccountKey">The cohort row's key.</param>
/// <param name="SentAt">When the card was sent (Unix seconds), for the time from delivery to action.</param>
/// <param name="TraceParent">The delivery's W3C traceparent, so the span of a later click links to the delta's trace.</param>
public sealed record CardButtonValue(Guid DeltaId, Guid CorrelationId, string PushId, string AccountKey, long? SentAt = null, string? TraceParent = null);
