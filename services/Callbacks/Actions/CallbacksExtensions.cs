using ContextPush.Callbacks.Adoption;
using ContextPush.Callbacks.Explain;
using ContextPush.Callbacks.HubSpot;
using ContextPush.Callbacks.Links;
using ContextPush.Callbacks.Slack;
using ContextPush.Callbacks.Telemetry;
using ContextPush.CardActions;

namespace ContextPush.Callbacks.Actions;

public static class CallbacksExtensions
{
    /// <summary>
    /// Where clicks come in (Slack's interactivity requests, signed links), how they are checked, where
    /// they are recorded ("callbacksdb"), and the adoption figures built from them and the pipeline's events.
    /// </summary>
    public static IHostApplicationBuilder AddCallbacks(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("callbacksdb", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
        var services = builder.Services;
        services.AddOptions<CallbacksOptions>().BindConfiguration(CallbacksOptions.SectionName).ValidateOnStart();
        services.AddOptions<ActionLinkOptions>().BindConfiguration(ActionLinkOptions.SectionName);
        services.AddSingleton<ActionLinkSigner>();
        services.AddSingleton<CallbacksMetrics>();
        services.AddScoped<ActionRecorder>();

        // Hosted services start in registration order: the tables exist before the bus starts.
        services.AddSingleton<ActionStore>().AddNpgsqlSchema(ActionStore.Schema);
        services.AddSingleton<SeenSlackRequests>().AddNpgsqlSchema(SeenSlackRequests.Schema);
        services.AddSingleton<AdoptionStore>().AddNpgsqlSchema(AdoptionStore.Schema);
        services.AddHostedService<AdoptionGauges>();
        services.AddSingleton<NoisyPushes>();
        services.AddHostedService<NoisyPushWatch>();
        services.AddSingleton<WeeklyReports>().AddHostedService(sp => sp.GetRequiredService<WeeklyReports>());
        builder.AddExplaining();
        builder.AddMessaging(bus =>
        {
            // The batch fills within 100 ms at full load and otherwise goes as it is: adoption figures may lag that much.
            bus.AddConsumer<DeliveredConsumer>((_, c) => c.Options<MassTransit.BatchOptions>(o => o.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(100))));
            bus.AddConsumer<DigestDeliveredConsumer>();
            bus.AddConsumer<DeliverySuppressedConsumer>();
            bus.AddConsumer<DeliveryFailedConsumer>();
            bus.AddConsumer<CrmTaskCompletedConsumer>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapSlackInteractions();
        app.MapHubSpotWebhooks();
        app.MapActionLinks();
        app.MapAdoption();
        app.MapExplain();
        // What people did with a push's cards, or with one delta's: newest first.
        app.MapGet("/actions", async (string? push, Guid? delta, int? limit, ActionStore actions, CancellationToken ct) =>
            push is null && delta is null
                ? Results.Problem(statusCode: 400, title: "Which actions?", detail: "give push=<push id>, delta=<DeltaId>, or both")
                : Results.Ok(new { actions = await actions.ListAsync(push, delta, Math.Clamp(limit ?? 100, 1, 1000), ct) }));
        return app;
    }
}
