using System.Text.Json;
using Refit;

namespace ContextPush.Callbacks.Explain;

/// <summary>GET /explain?push=&amp;account=: "why didn't I get this alert?", told end to end.</summary>
public static class ExplainEndpoints
{
    public static IHostApplicationBuilder AddExplaining(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<AccountExplainer>();
        AddApi<IDetectorStoryApi>(services, "detector");
        AddApi<IThrottlerDecisionsApi>(services, "throttler");
        AddApi<IDispatcherDeliveriesApi>(services, "dispatcher");
        return builder;
    }

    public static IEndpointRouteBuilder MapExplain(this IEndpointRouteBuilder app)
    {
        app.MapGet("/explain", async (string? push, string? account, AccountExplainer explainer, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(push) || string.IsNullOrWhiteSpace(account)
                ? Results.Problem(statusCode: 400, title: "Explain which account?", detail: "give push=<push id> and account=<the account's key, as on its cards>")
                : Results.Ok(await explainer.ExplainAsync(push, account, ct)));
        return app;
    }

    // Without an address the client keeps a placeholder; the explainer names the service unconfigured before calling it.
    private static void AddApi<TApi>(IServiceCollection services, string name) where TApi : class =>
        services.AddRefitGeneratedClient<TApi>(new RefitSettings(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web))))
            .ConfigureHttpClient((sp, http) => http.BaseAddress =
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CallbacksOptions>>().Value.Explain.AddressOf(name, sp.GetRequiredService<IConfiguration>())
                ?? new Uri("http://unconfigured.invalid"));
}
