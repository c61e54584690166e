using ContextPush.Detector.Pushes;
using ContextPush.Detector.Runs;
using ContextPush.Detector.State;
using ContextPush.Detector.Telemetry;

namespace ContextPush.Detector.Detection;

public static class DetectionExtensions
{
    /// <summary>The push catalog, the warehouses it reads, its own state database, the runner and the schedule.</summary>
    public static IHostApplicationBuilder AddDetection(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(WarehouseSources.DefaultName);
        builder.AddKeyedNpgsqlDataSource(DetectorState.ConnectionName);
        var services = builder.Services;
        services.AddSingleton(sp => new DetectorState(sp.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(DetectorState.ConnectionName)));
        services.AddOptions<DetectorOptions>().BindConfiguration(DetectorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DetectorMetrics>();
        services.AddSingleton<WarehouseSources>();
        services.AddSingleton<PushValidator>();
        services.AddSingleton<PushCatalog>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<IDetectionStages, NoDetectionStages>();
        services.AddSingleton<PushRunner>();
        services.AddSingleton<Pushes.AccountStories>();

        // Hosted services start in registration order: the tracking tables, then the catalog, then the
        // bus, and only then the schedule that runs pushes and publishes.
        services.AddHostedService<TrackingSchemaInitializer>();
        services.AddHostedService<PushCatalogReloader>();
        builder.AddMessaging();
        services.AddHostedService<PushScheduler>();
        return builder;
    }
}
