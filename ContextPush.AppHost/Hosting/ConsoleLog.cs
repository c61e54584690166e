using System.Collections.Concurrent;

namespace ContextPush.AppHost.Hosting;

/// <summary>
/// Every resource's console output in one stream, each line prefixed with the resource's name, and
/// the last lines of each resource kept for the dashboard's console page.
/// </summary>
public sealed class ConsoleLog(TextWriter output, int linesKept = 1_000)
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Queue<(DateTimeOffset At, string Line)>> _recent = new();

    public IReadOnlyList<string> Resources => [.. _recent.Keys.Order(StringComparer.Ordinal)];

    public void Write(string resource, string line)
    {
        var recent = _recent.GetOrAdd(resource, _ => new Queue<(DateTimeOffset, string)>());
        lock (_gate)
        {
            recent.Enqueue((DateTimeOffset.Now, line));
            if (recent.Count > linesKept)
            {
                recent.Dequeue();
            }

            try
            {
                output.WriteLine($"[{resource}] {line}");
            }
            catch (IOException)
            {
                // The terminal or pipe is gone (Ctrl+C reached it too): output is best effort, stopping everything is not.
            }
        }
    }

    /// <summary>The resource's most recent lines, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Line)> Recent(string resource)
    {
        lock (_gate)
        {
            return _recent.TryGetValue(resource, out var lines) ? [.. lines] : [];
        }
    }
}
