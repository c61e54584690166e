using ContextPush.ServiceDefaults.Idempotency;
using ContextPush.Throttler.Consumers;
using ContextPush.Throttler.Telemetry;

namespace ContextPush.Throttler.Throttling;

public static class ThrottlingExtensions
{
    /// <summary>
    /// The Throttler's stores, rules and consumers. Its state is in "throttlerdb", claims and the frequency
    /// cap in the "cache"; the metrics' history comes with each delta, so it reads no warehouse.
    /// </summary>
    public static IHostApplicationBuilder AddThrottling(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("throttlerdb", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
        builder.AddRedisClient("cache", configureOptions: redis => redis.AbortOnConnectFail = false);

        var services = builder.Services;
        services.AddOptions<ThrottlerOptions>().BindConfiguration(ThrottlerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<ThrottlerMetrics>();
        services.AddSingleton<DeltaClaims>();
        services.AddSingleton<FrequencyCap>();
        services.AddSingleton<OwnerBudget>();
        services.AddSingleton<PriorityRule>();
        services.AddSingleton<DeliveryThrottle>();
        services.AddSingleton<DecisionProtocol>();

        // Hosted services start in registration order: every table exists before the bus delivers a message.
        services.AddSingleton<DecisionStore>().AddNpgsqlSchema(DecisionStore.Schema);
        services.AddSingleton<Suppressions>().AddNpgsqlSchema(Suppressions.Schema);
        services.AddSingleton<SentCards>().AddNpgsqlSchema(SentCards.Schema);
        services.AddSingleton<HeldForDigest>().AddNpgsqlSchema(HeldForDigest.Schema);
        services.AddHostedService<DigestScheduler>();
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<ContextAssembledConsumer>();
            // A card is remembered within 100 ms; only a resolution, a run or more later, asks whether it was sent.
            bus.AddConsumer<DeliveredConsumer>((_, c) => c.Options<MassTransit.BatchOptions>(o => o.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(100))));
            bus.AddConsumer<DigestDeliveredConsumer>();
            bus.AddConsumer<CardActionedConsumer>();
        });
        return builder;
    }
}
