using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContextPush.Assembler.Caching;
using ContextPush.Assembler.Consumers;
using ContextPush.Assembler.Sources;
using ContextPush.Assembler.Sources.HubSpot;
using ContextPush.Assembler.Sources.Salesforce;
using ContextPush.Assembler.Sources.Slack;
using ContextPush.Assembler.Sources.Warehouse;
using ContextPush.Assembler.Sources.Zendesk;
using ContextPush.Assembler.Telemetry;
using ContextPush.ServiceDefaults.Idempotency;
using Microsoft.Extensions.Options;
using Refit;

namespace ContextPush.Assembler.Context;

public static class AssemblingExtensions
{
    /// <summary>The whole service: its warehouse and cache, <see cref="AddAssembling"/>, and the consumer that assembles each delta once.</summary>
    public static IHostApplicationBuilder AddAssembler(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("cache", configureOptions: redis => redis.AbortOnConnectFail = false);
        builder.AddAssembling();
        builder.Services.AddSingleton<DeltaClaims>();
        builder.AddMessaging(bus => bus.AddConsumer<DeltaDetectedConsumer>(typeof(DeltaDetectedConsumerDefinition)));
        return builder;
    }

    /// <summary>
    /// The Assembler's warehouse, sources, cache and wording. Each source is a Refit client on the shared
    /// HttpClient defaults (the standard resilience handler from AddServiceDefaults), with its
    /// credentials added per request from options.
    /// </summary>
    public static IHostApplicationBuilder AddAssembling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (AssemblerWarehouse.EngineOf(builder.Configuration) == ContextPush.Warehouses.WarehouseEngine.Postgres)
        {
            builder.AddNpgsqlDataSource(AssemblerWarehouse.ConnectionName, configureDataSourceBuilder: NpgsqlPerDelta.Configure);
        }

        services.AddSingleton<AssemblerWarehouse>();
        services.AddOptions<AssemblerOptions>().BindConfiguration(AssemblerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AssemblerMetrics>();
        services.AddSingleton<LookupCache>();
        services.AddSingleton<CardWording>();
        services.AddSingleton<ContextAssembler>();

        services.AddSingleton<WarehouseSource>();
        services.AddSingleton<IOwnerSource>(sp => sp.GetRequiredService<WarehouseSource>());
        services.AddSingleton<ITicketSource>(sp => sp.GetRequiredService<WarehouseSource>());
        services.AddSingleton<IOwnerSource, HubSpotOwnerSource>();
        services.AddSingleton<IOwnerSource, SalesforceOwnerSource>();
        services.AddSingleton<ITicketSource, ZendeskTicketSource>();
        services.AddSingleton<SlackIdLookup>();

        AddApi<IHubSpotApi>(services, JsonNamingPolicy.CamelCase, o => o.HubSpot.BaseUrl,
            o => Bearer(o.HubSpot.AccessToken));
        AddApi<ISalesforceApi>(services, JsonNamingPolicy.CamelCase, o => o.Salesforce.InstanceUrl,
            o => Bearer(o.Salesforce.AccessToken));
        AddApi<IZendeskApi>(services, JsonNamingPolicy.SnakeCaseLower, o => o.Zendesk.BaseUrl,
            o => o.Zendesk.ApiToken is { Length: > 0 } token
                ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.Zendesk.Email}/token:{token}")))
                : null);
        AddApi<ISlackUsersApi>(services, JsonNamingPolicy.SnakeCaseLower, o => o.Slack.BaseUrl,
            o => Bearer(o.Slack.BotToken));
        return builder;
    }

    private static void AddApi<TApi>(IServiceCollection services, JsonNamingPolicy naming,
        Func<AssemblerOptions, Uri?> baseUrl, Func<AssemblerOptions, AuthenticationHeaderValue?> credentials) where TApi : class
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = naming };
        services.AddRefitGeneratedClient<TApi>(new RefitSettings(new SystemTextJsonContentSerializer(json)))
            .ConfigureHttpClient((sp, http) =>
            {
                // An unconfigured source keeps a placeholder address; its source refuses before calling.
                http.BaseAddress = baseUrl(sp.GetRequiredService<IOptions<AssemblerOptions>>().Value) ?? new Uri("http://unconfigured.invalid");
            })
            .AddHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<AssemblerOptions>>();
                return new AuthorizationHandler(() => credentials(options.Value));
            });
    }

    private static AuthenticationHeaderValue? Bearer(string? token) => token is { Length: > 0 } ? new("Bearer", token) : null;
}
