namespace ContextPush.Detector.Detection;

/// <summary>Another run of the same push (on this or another replica) is in progress.</summary>
public sealed class PushBusyException(string pushId) : Exception($"push {pushId}: another run of this push is in progress");
