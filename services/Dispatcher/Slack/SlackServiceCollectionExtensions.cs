using System.Text.Json;
using Microsoft.Extensions.Options;
using Refit;

namespace ContextPush.Dispatcher.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>Slack's Web API through Refit, with the bot token handler and the shared resilience pipeline.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        services.AddTransient<SlackBearerTokenHandler>();
        services.AddRefitGeneratedClient<ISlackApi>(new RefitSettings(new SystemTextJsonContentSerializer(json)))
            .ConfigureHttpClient((sp, http) => http.BaseAddress = sp.GetRequiredService<IOptions<DispatcherOptions>>().Value.Slack.BaseUrl)
            .AddHttpMessageHandler<SlackBearerTokenHandler>();
        services.AddSingleton<SlackChannel>();
        return services;
    }
}
