namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// A message its service has already tried as long as it sensibly can (its own redelivery ran out):
/// the messaging retry does not try it again, it goes to <c>&lt;queue&gt;_error</c> at once with
/// this reason, to be replayed when the cause is fixed.
/// </summary>
public abstract class ParkedException(string message) : Exception(message);
