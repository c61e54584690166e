using System.Collections.Concurrent;

namespace ContextPush.AppHost.Telemetry;

/// <summary>The most recent traces, in memory and bounded: the oldest trace is forgotten when a new one would exceed the limit.</summary>
public sealed class TraceStore(int maxTraces = 2_000)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TraceSpan>> _traces = new();
    private readonly ConcurrentQueue<string> _order = new();

    public int Count => _traces.Count;

    public void Add(IEnumerable<TraceSpan> spans)
    {
        foreach (var span in spans)
        {
            var trace = _traces.GetOrAdd(span.TraceId, id =>
            {
                _order.Enqueue(id);
                return new ConcurrentQueue<TraceSpan>();
            });
            trace.Enqueue(span);
        }

        while (_traces.Count > maxTraces && _order.TryDequeue(out var oldest))
        {
            _traces.TryRemove(oldest, out _);
        }
    }

    public IReadOnlyList<TraceSpan> Trace(string traceId) =>
        _traces.TryGetValue(traceId, out var spans) ? spans.OrderBy(s => s.Start).ToList() : [];

    /// <summary>Trace ids whose spans carry <paramref name="value"/> in any attribute or come from that service: search by push, account or DeltaId.</summary>
    public IReadOnlyList<string> Search(string value) => _traces
        .Where(t => t.Value.Any(s => s.Service == value || s.Attributes.Values.Contains(value)))
        .Select(t => t.Key)
        .ToList();
}
