using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire's ServiceDefaults, kept faithful: OpenTelemetry, health checks and resilient HttpClients
/// for every service, plus what ContextPush adds (MassTransit's and our own telemetry). PostgreSQL
/// and Redis bring their own through Aspire.Npgsql and Aspire.StackExchange.Redis.
/// </summary>
public static class Extensions
{
    /// <summary>The ActivitySource and Meter name every ContextPush service reports its own spans and metrics under.</summary>
    public const string ContextPushTelemetryName = "ContextPush";

    /// <summary>Readiness: every dependency's check.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: the process answers, whatever its dependencies do.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Adds telemetry, health checks and HTTP resilience, as Aspire's template does.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        // Every service reads the time through this, so tests can move it.
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Aspire's standard handler; "HttpResilience" (e.g. HttpResilience__AttemptTimeout__Timeout) tunes it per deployment.
        var resilience = builder.Configuration.GetSection("HttpResilience");
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            if (resilience.Exists())
            {
                http.AddStandardResilienceHandler(resilience);
            }
            else
            {
                http.AddStandardResilienceHandler();
            }
        });
        return builder;
    }

    /// <summary>Traces, metrics and logs; exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", ContextPushTelemetryName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, "MassTransit", ContextPushTelemetryName)
                // Probes every few seconds would bury the spans on-call is looking for.
                .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                    !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                    && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>A "self" check tagged live, so /alive answers without touching any dependency.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// /health: every check must pass (the AppHost's WaitFor and Kubernetes' readiness probe);
    /// /alive: only the live-tagged ones (liveness probe). Mapped in every environment because the
    /// platform team's probes need them; they expose status only, never details. Also the error-queue
    /// replay under /admin (<see cref="ErrorQueueEndpoints"/>) of a service with queues.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapErrorQueueEndpoints();
        return app;
    }
}
