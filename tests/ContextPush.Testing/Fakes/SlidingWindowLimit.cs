namespace ContextPush.Testing.Fakes;

/// <summary>At most a number of requests in any one second, as the fakes' platforms count their rate limits.</summary>
public sealed class SlidingWindowLimit
{
    private readonly Queue<DateTimeOffset> _recent = new();

    /// <summary>Counts the request and answers true when it is within <paramref name="perSecond"/>; a refused one is not counted.</summary>
    public bool TryTake(int perSecond)
    {
        lock (_recent)
        {
            var now = DateTimeOffset.UtcNow;
            while (_recent.Count > 0 && now - _recent.Peek() >= TimeSpan.FromSeconds(1))
            {
                _recent.Dequeue();
            }

            if (_recent.Count >= perSecond)
            {
                return false;
            }

            _recent.Enqueue(now);
            return true;
        }
    }
}
