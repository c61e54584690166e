using Microsoft.Extensions.Options;
using Refit;

namespace ContextPush.Dispatcher.HubSpot;

public static class HubSpotServiceCollectionExtensions
{
    /// <summary>The HubSpot task writer (Dispatcher:HubSpot).</summary>
    public static IServiceCollection AddHubSpotTasks(this IServiceCollection services)
    {
        services.AddRefitGeneratedClient<IHubSpotTasksApi>()
            .ConfigureHttpClient((sp, http) => http.BaseAddress = sp.GetRequiredService<IOptions<DispatcherOptions>>().Value.HubSpot.BaseUrl);
        services.AddSingleton<HubSpotTasks>();
        services.AddSingleton<Crm.ICrmTasks>(sp => sp.GetRequiredService<HubSpotTasks>());
        return services;
    }
}
