namespace ContextPush.Contracts;

/// <summary>
/// What an interactive card button carries (Slack's button <c>value</c>, as JSON), written by
/// Dispatcher and read back by Callbacks, so a click identifies its delta without a lookup.
/// </summary>
public sealed record CardButtonValue(Guid DeltaId, Guid CorrelationId, string PushId, string AccountKey);
