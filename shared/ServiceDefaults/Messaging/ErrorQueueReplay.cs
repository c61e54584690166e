using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ContextPush.ServiceDefaults.Messaging;

/// <summary>
/// Moves parked messages from a queue's <c>_error</c> queue back to the queue, once what parked them
/// is fixed. Each message is published back with publisher confirms before it is acknowledged in
/// the error queue, so a crash in between leaves a copy in both, never in neither; every stage is
/// idempotent on the DeltaId, so that copy (or replaying a delta that was since delivered) posts no
/// second card. Messages the filter does not match stay parked where they were.
/// </summary>
public sealed class ErrorQueueReplay(QueueNames queues, BrokerAddress broker, ILogger<ErrorQueueReplay> logger)
{
    /// <summary>Why the message was parked: MassTransit's fault headers, dropped so a second fault is described afresh.</summary>
    private static readonly string[] FaultHeaders = ["MT-Fault-", "MT-Reason", "MT-Host-"];

    public IReadOnlyList<string> Queues => queues.All;

    /// <summary>The number of parked messages per queue of this service.</summary>
    public async Task<IReadOnlyList<(string Queue, string ErrorQueue, long Parked)>> ListAsync(CancellationToken ct)
    {
        await using var connection = await ConnectAsync(ct);
        var listed = new List<(string, string, long)>();
        foreach (var queue in queues.All)
        {
            listed.Add((queue, ErrorQueueOf(queue), await CountAsync(connection, ErrorQueueOf(queue), ct)));
        }

        return listed;
    }

    /// <summary>
    /// Replays the parked messages of <paramref name="queue"/> (every queue of this service when
    /// null) that match <paramref name="filter"/>, looking at no more than <paramref name="limit"/>
    /// of them per queue; a dry run only counts.
    /// </summary>
    public async Task<IReadOnlyList<ReplayResult>> ReplayAsync(string? queue, ReplayFilter filter, bool dryRun, int limit, CancellationToken ct)
    {
        if (queue is not null && !queues.All.Contains(queue, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"queue '{queue}' is not one of this service's queues ({(queues.All.Count == 0 ? "it has none" : string.Join(", ", queues.All))})", nameof(queue));
        }

        await using var connection = await ConnectAsync(ct);
        var results = new List<ReplayResult>();
        foreach (var target in queue is null ? queues.All : [queue])
        {
            results.Add(await ReplayQueueAsync(connection, target, filter, dryRun, limit, ct));
        }

        return results;
    }

    private async Task<ReplayResult> ReplayQueueAsync(IConnection connection, string queue, ReplayFilter filter, bool dryRun, int limit, CancellationToken ct)
    {
        var errorQueue = ErrorQueueOf(queue);
        var parked = await CountAsync(connection, errorQueue, ct);
        int inspected = 0, matched = 0, moved = 0;
        if (parked > 0)
        {
            // Messages looked at and left stay unacknowledged until the channel closes, which returns
            // them to the error queue in their places: a filter or a dry run reorders nothing.
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            while (inspected < Math.Min(parked, limit) && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } message)
            {
                inspected++;
                if (!filter.Matches(message.Body.Span))
                {
                    continue;
                }

                matched++;
                if (dryRun)
                {
                    continue;
                }

                var properties = new BasicProperties(message.BasicProperties);
                properties.Headers = message.BasicProperties.Headers?
                    .Where(h => !FaultHeaders.Any(f => h.Key.StartsWith(f, StringComparison.Ordinal)))
                    .ToDictionary(h => h.Key, h => h.Value);
                await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body, ct);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                moved++;
            }
        }

        var stillParked = dryRun ? parked : await CountAsync(connection, errorQueue, ct);
        logger.LogInformation("Replay of {ErrorQueue} ({Filter}{DryRun}): {Inspected} looked at, {Matched} matched, {Moved} moved back to {Queue}",
            errorQueue, filter.All ? "all" : filter.ToString(), dryRun ? ", dry run" : "", inspected, matched, moved, queue);
        return new ReplayResult(queue, errorQueue, inspected, matched, moved, stillParked);
    }

    private async Task<IConnection> ConnectAsync(CancellationToken ct) =>
        await broker.ConnectAsync("error-queue-replay", ct);

    /// <summary>0 for an error queue not declared yet: nothing has ever been parked there.</summary>
    private static async Task<long> CountAsync(IConnection connection, string queue, CancellationToken ct)
    {
        // A passive declare of a missing queue closes its channel, so it gets its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    private static string ErrorQueueOf(string queue) => queue + "_error";
}
