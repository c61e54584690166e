using ContextPush.CardActions;
using ContextPush.Dispatcher.Consumers;
using ContextPush.Dispatcher.Crm;
using ContextPush.Dispatcher.HubSpot;
using ContextPush.Dispatcher.Email;
using ContextPush.Dispatcher.Preview;
using ContextPush.Dispatcher.Redelivery;
using ContextPush.Dispatcher.Reports;
using ContextPush.Dispatcher.Salesforce;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
using ContextPush.Dispatcher.Telemetry;

namespace ContextPush.Dispatcher.Delivery;

public static class DispatchingExtensions
{
    /// <summary>
    /// The channels, the delivery record ("dispatcherdb"), the pace shared through the "cache", the
    /// redelivery of postponed cards, and the consumers.
    /// </summary>
    public static IHostApplicationBuilder AddDispatching(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("dispatcherdb", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
        // Only the pace lives in Redis, and without it each replica paces on its own: no health check, so a
        // Redis outage does not make the Dispatcher unready.
        builder.AddRedisClient("cache", settings => settings.DisableHealthChecks = true, redis => redis.AbortOnConnectFail = false);

        var services = builder.Services;
        services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ActionLinkOptions>().BindConfiguration(ActionLinkOptions.SectionName);
        services.AddSingleton<ActionLinkSigner>();
        services.AddSingleton<ActionLinks>();
        services.AddSingleton<DispatcherMetrics>();
        services.AddSlack();
        services.AddSingleton<TeamsChannel>();
        services.AddHttpClient(TeamsChannel.HttpClientName);
        services.AddSingleton<EmailChannel>();
        services.AddSingleton<ConsoleChannel>();
        services.AddSingleton<DestinationPacer>();
        services.AddSingleton<LocalPacer>();
        services.AddSingleton<CardDispatcher>();
        services.AddSingleton<CardUpdater>();
        services.AddSingleton<ReportDispatcher>();
        services.AddSalesforceTasks();
        services.AddHubSpotTasks();
        services.AddSingleton<CrmTaskDispatcher>();

        // Hosted services start in registration order: the tables exist before the sweeper and the bus start.
        services.AddSingleton<DeliveryStore>().AddNpgsqlSchema(DeliveryStore.Schema);
        services.AddSingleton<RedeliveryStore>().AddNpgsqlSchema(RedeliveryStore.Schema);
        services.AddSingleton<PushDestinations>().AddNpgsqlSchema(PushDestinations.Schema);
        services.AddSingleton<CrmTaskStore>().AddNpgsqlSchema(CrmTaskStore.Schema);
        services.AddHostedService<RedeliverySweeper>();
        services.AddSingleton<CrmCompletionWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<CrmCompletionWatch>());
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<DeliveryApprovedConsumer>();
            bus.AddConsumer<DeliveryApprovedFaultConsumer>();
            bus.AddConsumer<DigestApprovedConsumer>();
            bus.AddConsumer<CardActionedConsumer>();
            bus.AddConsumer<AdoptionReportDueConsumer>();
            bus.AddConsumer<CrmTaskConsumer>();
            bus.AddConsumer<CrmTaskFollowConsumer>();
            bus.AddConsumer<CrmTasksChangedConsumer>();
        });
        return builder;
    }

    /// <summary>The delivery record and the recent cards' previews.</summary>
    public static IEndpointRouteBuilder MapDispatching(this IEndpointRouteBuilder app)
    {
        app.MapDeliveryEndpoints();
        app.MapRecentCards();
        return app;
    }
}
