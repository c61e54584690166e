using ContextPush.Callbacks.Links;
using ContextPush.Callbacks.Slack;
using ContextPush.Callbacks.Telemetry;
using ContextPush.CardActions;

namespace ContextPush.Callbacks.Actions;

public static class CallbacksExtensions
{
    /// <summary>Where clicks come in (Slack's interactivity requests, signed links), how they are checked, and where they are recorded ("callbacksdb").</summary>
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
        builder.AddMessaging();
        return builder;
    }

    public static IEndpointRouteBuilder MapCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapSlackInteractions();
        app.MapActionLinks();
        return app;
    }
}
