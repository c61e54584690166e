using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace ContextPush.ComponentTests.Messaging;

/// <summary>
/// A service with the messaging every ContextPush service has (<c>AddMessaging</c>) and one consumer of
/// <see cref="Probe"/>, on the test's own virtual host.
/// </summary>
public static class ProbeService
{
    public static IHost Build(string broker, IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "ContextPush.Probe", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Append(new("ConnectionStrings:messaging", broker)));
        builder.Logging.ClearProviders();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ProbeLog>();
        services?.Invoke(builder.Services);
        builder.AddMessaging(bus => bus.AddConsumer<ProbeConsumer>());
        return builder.Build();
    }

    /// <summary>
    /// Starts the service and waits until its endpoints are consuming: the host's start does not wait for
    /// them, and a probe published before its queue is bound to the message's exchange would go nowhere.
    /// </summary>
    public static async Task StartConsumingAsync(this IHost host, CancellationToken ct)
    {
        await host.StartAsync(ct);
        var bus = host.Services.GetRequiredService<IBusControl>();
        await Eventually.UntilAsync("the probe service's endpoints ready", () => Task.FromResult(bus.CheckHealth().Status == BusHealthStatus.Healthy),
            TimeSpan.FromSeconds(60));
    }

    /// <summary>MassTransit envelopes put straight on the queue over a connection of the test's own, as another stage's messages arrive.</summary>
    public static async Task PublishFromOutsideAsync(string broker, string queue, IEnumerable<Probe> probes, CancellationToken ct)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(broker) }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        foreach (var probe in probes)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                messageId = Guid.NewGuid(),
                messageType = new[] { MessageUrn.ForTypeString<Probe>() },
                message = new { name = probe.Name, hang = probe.Hang },
                sentTime = DateTimeOffset.UtcNow,
            });
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, body, ct);
        }
    }

    public sealed record Probe(string Name, bool Hang);

    public sealed class ProbeLog
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentBag<string> Consumed { get; } = [];
    }

    public sealed class ProbeConsumer(ProbeLog log) : IConsumer<Probe>
    {
        private static readonly TaskCompletionSource Never = new();

        public async Task Consume(ConsumeContext<Probe> context)
        {
            if (context.Message.Hang && log.Entered.TrySetResult())
            {
                await Never.Task; // deaf to its token, as a call that never returns is
            }

            log.Consumed.Add(context.Message.Name);
        }
    }
}
