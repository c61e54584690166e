namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// What a replay of one queue's parked messages did: how many it looked at, how many matched the
/// filter, how many it moved back (none in a dry run), and how many are still parked.
/// </summary>
public sealed record ReplayResult(string Queue, string ErrorQueue, int Inspected, int Matched, int Moved, long StillParked);
