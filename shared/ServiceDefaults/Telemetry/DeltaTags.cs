using System.Diagnostics;
using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace ContextPush.ServiceDefaults.Telemetry;

/// <summary>
/// Puts the push id, the account key and the DeltaId on every consume span, and in a logging scope
/// around the consumer so every log line it writes carries them too: on-call searches traces and
/// structured logs by the same three names. Read once per message type from the contract's
/// properties (on the message, or on its nested Delta).
/// </summary>
public sealed class DeltaTags<T>(ILogger<DeltaTags<T>> logger) : IFilter<ConsumeContext<T>> where T : class
{
    private static readonly Func<T, (object? Push, object? Account, object? Delta)> Read = Build();

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var (push, account, delta) = Read(context.Message);
        var tags = new KeyValuePair<string, object?>[]
        {
            new(DeltaTagNames.PushId, push?.ToString()), new(DeltaTagNames.AccountKey, account?.ToString()), new(DeltaTagNames.DeltaId, delta?.ToString()),
        };
        foreach (var (name, value) in tags)
        {
            Activity.Current?.SetTag(name, value);
        }

        using (logger.BeginScope(tags))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("contextpush-delta-tags");

    private static Func<T, (object?, object?, object?)> Build()
    {
        static PropertyInfo? Find(Type type, string name) => type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        var nested = Find(typeof(T), "Delta");
        var push = Find(typeof(T), "PushId");
        var account = Find(typeof(T), "AccountKey");
        var delta = Find(typeof(T), "DeltaId");
        var nestedPush = nested is null ? null : Find(nested.PropertyType, "PushId");
        var nestedAccount = nested is null ? null : Find(nested.PropertyType, "AccountKey");
        return message =>
        {
            var inner = nested?.GetValue(message);
            return (push?.GetValue(message) ?? (inner is null ? null : nestedPush?.GetValue(inner)),
                account?.GetValue(message) ?? (inner is null ? null : nestedAccount?.GetValue(inner)),
                delta?.GetValue(message));
        };
    }
}
