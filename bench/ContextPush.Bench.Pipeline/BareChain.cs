using System.Diagnostics;
using MassTransit;

namespace ContextPush.Bench.Pipeline;

/// <summary>Four hops of nothing but the bus, each message the size of the pipeline's own at that hop.</summary>
public sealed record BareDetected(Guid Id, string Padding);

public sealed record BareAssembled(Guid Id, string Padding);

public sealed record BareApproved(Guid Id, string Padding);

public sealed record BareDelivered(Guid Id, string Padding);

/// <summary>
/// The bare MassTransit chain the pipeline is measured against: a bus per stage (its own connection, as a
/// service has), durable queues, persistent messages and publisher confirms, the same prefetch and
/// concurrency as each stage, the producer publishing in the Detector's batches, and no work in any consumer.
/// </summary>
internal sealed class BareChain
{
    public sealed record Result(double EventsPerSecond, double Seconds, double BenchCpuSeconds, double BrokerCpuSeconds);

    /// <summary>Message sizes on the wire, by hop (DeltaDetected, ContextAssembled, DeliveryApproved, Delivered).</summary>
    public required int[] WireBytes { get; init; }

    public required string Messaging { get; init; }

    /// <summary>The Assembler's concurrency (its definition sets prefetch and concurrency to it); the others keep MassTransit's.</summary>
    public int FirstHopConcurrency { get; init; } = 64;

    public int PublishBatchSize { get; init; } = 500;

    public async Task<Result> RunAsync(int events, Func<double> brokerCpu)
    {
        var done = 0;
        var envelope = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var buses = new List<IBusControl>
        {
            Stage<BareDetected>("bare-assembler", (m, c) => m.Id == Guid.Empty
                ? Task.FromResult(envelope.TrySetResult(((ConsumeContext)c).ReceiveContext.Body.GetBytes().Length))
                : c.Publish(new BareAssembled(m.Id, Pad(1))), FirstHopConcurrency),
            Stage<BareAssembled>("bare-throttler", (m, c) => c.Publish(new BareApproved(m.Id, Pad(2)))),
            Stage<BareApproved>("bare-dispatcher", (m, c) => c.Publish(new BareDelivered(m.Id, Pad(3)))),
            Stage<BareDelivered>("bare-observer", (_, _) =>
            {
                if (Interlocked.Increment(ref done) == events)
                {
                    finished.TrySetResult();
                }

                return Task.CompletedTask;
            }),
        };
        var producer = Bus.Factory.CreateUsingRabbitMq(cfg => Host(cfg));
        buses.Add(producer);
        foreach (var bus in buses)
        {
            await bus.StartAsync();
        }

        try
        {
            // One empty message first: the envelope's own size, so each padded message matches the pipeline's on the wire.
            await producer.Publish(new BareDetected(Guid.Empty, ""));
            _envelopeBytes = await envelope.Task.WaitAsync(TimeSpan.FromMinutes(1));
            var benchCpu = ProcessUsage.CpuSeconds([Environment.ProcessId]);
            var brokerBefore = brokerCpu();
            var clock = Stopwatch.StartNew();
            var padding = Pad(0);
            for (var sent = 0; sent < events; sent += PublishBatchSize)
            {
                await Task.WhenAll(Enumerable.Range(0, Math.Min(PublishBatchSize, events - sent))
                    .Select(_ => producer.Publish(new BareDetected(Guid.NewGuid(), padding))));
            }

            await finished.Task.WaitAsync(TimeSpan.FromMinutes(10));
            var seconds = clock.Elapsed.TotalSeconds;
            return new Result(events / seconds, seconds, ProcessUsage.CpuSeconds([Environment.ProcessId]) - benchCpu, brokerCpu() - brokerBefore);
        }
        finally
        {
            foreach (var bus in buses)
            {
                await bus.StopAsync();
            }
        }
    }

    /// <summary>Padding that makes a bare message as large on the wire as the pipeline's message at that hop.</summary>
    private string Pad(int hop) => new('x', Math.Max(0, WireBytes[hop] - _envelopeBytes));

    private int _envelopeBytes;

    private IBusControl Stage<T>(string queue, Func<T, IPublishEndpoint, Task> next, int? concurrency = null) where T : class =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            Host(cfg);
            cfg.ReceiveEndpoint(queue, e =>
            {
                if (concurrency is { } limit)
                {
                    e.PrefetchCount = limit;
                    e.ConcurrentMessageLimit = limit;
                }

                e.Handler<T>(context => next(context.Message, context));
            });
        });

    private void Host(IRabbitMqBusFactoryConfigurator cfg) => cfg.Host(new Uri(Messaging), h => h.PublisherConfirmation = true);
}
