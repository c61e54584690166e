namespace ContextPush.ServiceDefaults.Idempotency;

/// <summary>
/// Another consumer is handling the same DeltaId right now. Transient by nature: the messaging
/// policy retries it for longer than a claim's lease, so the copy either finds the work done or
/// takes over from a consumer that died.
/// </summary>
public sealed class DeltaInFlightException(string stage, Guid deltaId)
    : Exception($"{stage}: delta {deltaId} is being handled by another consumer");
