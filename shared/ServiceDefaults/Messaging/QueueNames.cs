using System.Collections.Concurrent;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>The receive endpoints (queues) MassTransit configured for this service.</summary>
public sealed class QueueNames
{
    private readonly ConcurrentDictionary<string, bool> _names = new();

    public IReadOnlyList<string> All => [.. _names.Keys.Order(StringComparer.Ordinal)];

    public void Add(string name) => _names.TryAdd(name, true);
}
