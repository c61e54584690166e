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

    /// <summary>
    /// The newest traces first, optionally only those matching <paramref name="query"/>: a service
    /// name, or (part of) any attribute value, such as a push id, an account key or a DeltaId.
    /// </summary>
    public IReadOnlyList<TraceSummary> Recent(string? query, int limit = 100) => _traces
        .Select(t => t.Value.ToArray())
        .Where(spans => spans.Length > 0 && (string.IsNullOrWhiteSpace(query) || spans.Any(s => Matches(s, query.Trim()))))
        .Select(Summarize)
        .OrderByDescending(t => t.Start)
        .Take(limit)
        .ToList();

    private static bool Matches(TraceSpan span, string query) =>
        span.Service.Equals(query, StringComparison.OrdinalIgnoreCase)
        || span.Name.Contains(query, StringComparison.OrdinalIgnoreCase)
        || span.Attributes.Values.Any(v => v.Contains(query, StringComparison.OrdinalIgnoreCase));

    private static TraceSummary Summarize(TraceSpan[] spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        var root = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).MinBy(s => s.Start) ?? spans[0];
        string? Attribute(string name) => spans.Select(s => s.Attributes.GetValueOrDefault(name)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return new TraceSummary(
            root.TraceId, $"{root.Service}: {root.Name}", spans.Min(s => s.Start), spans.Max(s => s.End) - spans.Min(s => s.Start),
            [.. spans.Select(s => s.Service).Distinct().Order(StringComparer.Ordinal)], spans.Length, spans.Any(s => s.Error),
            Attribute("contextpush.push_id"), Attribute("contextpush.account_key"), Attribute("contextpush.delta_id"));
    }
}
