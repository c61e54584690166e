using System.Text.Json;
using ContextPush.ServiceDefaults;
using ContextPush.ServiceDefaults.Idempotency;
using ContextPush.ServiceDefaults.Messaging;
using ContextPush.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>MassTransit over RabbitMQ, configured the same way in every service.</summary>
public static class MessagingExtensions
{
    /// <summary>The connection name of the RabbitMQ resource.</summary>
    public const string ConnectionName = "messaging";

    /// <summary>
    /// Registers the bus on the "messaging" connection: durable queues named
    /// <c>&lt;service&gt;-&lt;message&gt;</c> so two services never share a queue, publisher
    /// confirms, a short retry and faults in <c>&lt;queue&gt;_error</c>.
    /// </summary>
    public static TBuilder AddMessaging<TBuilder>(this TBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not set: {builder.Environment.ApplicationName} needs RabbitMQ (amqp://user:password@host:port/vhost).");
        var prefix = ServicePrefix(builder.Environment.ApplicationName);
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName);
        var lease = builder.Configuration.GetSection(IdempotencyOptions.SectionName).Get<IdempotencyOptions>()?.Lease ?? new IdempotencyOptions().Lease;
        var queues = new QueueNames();
        builder.Services.AddSingleton(queues);
        var broker = BrokerAddress.Parse(connectionString);
        // Quorum queues replicate each queue over the cluster's nodes: the way to run a broker that loses a node.
        var quorum = string.Equals(builder.Configuration["Messaging:QueueType"], "quorum", StringComparison.OrdinalIgnoreCase);
        var publishTimeout = builder.Configuration.GetValue("Messaging:PublishTimeout", TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<PublishConfirmations>();
        builder.Services.AddSingleton(sp => new ConfirmedPublisher(sp.GetRequiredService<IBus>(), publishTimeout, sp.GetRequiredService<PublishConfirmations>()));
        var stopTimeout = builder.Configuration.GetValue("Messaging:StopTimeout", TimeSpan.FromSeconds(25));
        // A test may give its own, which records instead of ending its process.
        builder.Services.TryAddSingleton(sp => new ServiceExit(sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<ServiceExit>>())
        {
            Limit = builder.Configuration.GetValue("Messaging:ExitStopLimit", TimeSpan.FromSeconds(60)),
        });
        builder.Services.AddSingleton(sp => new MissingConsumerWatch(sp.GetRequiredService<IBusControl>(), sp.GetRequiredService<ILogger<MissingConsumerWatch>>(),
            sp.GetRequiredService<ServiceExit>(), sp.GetRequiredService<PublishConfirmations>())
        {
            Grace = builder.Configuration.GetValue("Messaging:MissingConsumerGrace", TimeSpan.FromSeconds(60)),
            StopLimit = builder.Configuration.GetValue("Messaging:RestartStopLimit", TimeSpan.FromMinutes(3)),
        });
        // How long RabbitMQ.Client waits for the broker's answer to one operation; a stop over a dead channel waits
        // it out once per operation.
        var continuationTimeout = builder.Configuration.GetValue("Messaging:ContinuationTimeout", TimeSpan.FromSeconds(20));
        builder.Services.AddSingleton<ReceiveActivity>();
        builder.Services.AddReceiveObserver(sp => sp.GetRequiredService<ReceiveActivity>());
        builder.Services.AddSingleton(sp => new QueueDepthMonitor(queues, broker, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<ILogger<QueueDepthMonitor>>(), sp.GetRequiredService<MissingConsumerWatch>(), sp.GetRequiredService<ReceiveActivity>())
        {
            Interval = builder.Configuration.GetValue("Messaging:QueueSampleInterval", TimeSpan.FromSeconds(10)),
        });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueDepthMonitor>());
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ErrorQueueReplay>(sp, broker));

        // An endpoint that loses its connection stops, waits for its deliveries in flight, and only then consumes
        // again on a new one. Without a StopTimeout MassTransit waits for them without end: one delivery that never
        // returns (an ack or a confirm lost with a broker node) kept that endpoint from ever consuming again. A stop lets
        // consumers finish for ConsumerStopTimeout, then cancels their tokens; both stay within the host's shutdown budget.
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.ConsumerStopTimeout = builder.Configuration.GetValue("Messaging:ConsumerStopTimeout", TimeSpan.FromSeconds(20));
            options.StopTimeout = stopTimeout;
        });

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, includeNamespace: false));
            // MassTransit otherwise reports the bus's shape to its vendor over the internet, which a
            // platform team has not agreed to and which fails (and logs a warning) on closed networks.
            bus.DisableUsageTelemetry();
            configure?.Invoke(bus);

            // Short intervals: a long retry would stall the endpoint. There is no in-memory outbox on
            // purpose: each consumer records its idempotency marker only after its publish succeeded,
            // which an outbox (publishing after Consume returns) would reorder into message loss.
            bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                queues.Add(name);
                if (quorum && endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                {
                    rabbitEndpoint.SetQuorumQueue();
                }

                endpoint.UseMessageRetry(retry =>
                {
                    retry.Intervals(200, 1_000, 3_000);
                    retry.Ignore<ArgumentException>();
                    retry.Ignore<FormatException>();
                    retry.Ignore<JsonException>();
                    retry.Ignore<InvalidDataException>();
                    retry.Ignore<DeltaInFlightException>();
                    retry.Ignore<ParkedException>();
                    retry.Ignore<RedisConnectionException>();
                    retry.Ignore<RedisTimeoutException>();
                    retry.Ignore<NpgsqlException>(e => e.IsTransient);
                    retry.Ignore<PublishNotConfirmedException>();
                });
                // Fail closed: while our own Redis, PostgreSQL or RabbitMQ is down nothing can be decided safely, so
                // the message waits (capped backoff) instead of being decided without its checks or parked
                // in the error queue; when the server is back, everything pending is decided.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Handle<RedisConnectionException>();
                    retry.Handle<RedisTimeoutException>();
                    retry.Handle<NpgsqlException>(e => e.IsTransient);
                    retry.Handle<PublishNotConfirmedException>();
                    retry.Exponential(10_000, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1));
                });
                // A copy of a delta another consumer is handling waits for that work to end: as long as the
                // slowest send (a platform's Retry-After and time-outs, about a minute and a half), or until
                // the lease of a consumer that died runs out.
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Handle<DeltaInFlightException>();
                    retry.Interval((int)((lease + TimeSpan.FromSeconds(90)) / TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(1));
                });
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Uri, host =>
                {
                    host.PublisherConfirmation = true;
                    host.ConnectionName(prefix);
                    host.ContinuationTimeout(continuationTimeout);
                    if (broker.Nodes.Count > 1)
                    {
                        host.UseCluster(cluster => broker.Nodes.ToList().ForEach(n => cluster.Node($"{n.Host}:{n.Port}")));
                    }

                });
                rabbit.UseConsumeFilter(typeof(DeltaTags<>), context);
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
    }

    /// <summary>"ContextPush.Throttler" gives "throttler": the queue prefix and the service's resource name.</summary>
    public static string ServicePrefix(string applicationName) =>
        applicationName[(applicationName.LastIndexOf('.') + 1)..].ToLowerInvariant();
}
