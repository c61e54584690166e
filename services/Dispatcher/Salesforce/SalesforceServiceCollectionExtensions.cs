using Microsoft.Extensions.Options;
using Refit;

namespace ContextPush.Dispatcher.Salesforce;

public static class SalesforceServiceCollectionExtensions
{
    /// <summary>The Salesforce task writer; its client talks to the org's My Domain (Dispatcher:Salesforce:LoginUrl).</summary>
    public static IServiceCollection AddSalesforceTasks(this IServiceCollection services)
    {
        services.AddRefitGeneratedClient<ISalesforceTasksApi>()
            .ConfigureHttpClient((sp, http) =>
                http.BaseAddress = sp.GetRequiredService<IOptions<DispatcherOptions>>().Value.Salesforce.LoginUrl ?? new Uri("http://unconfigured.invalid"));
        services.AddSingleton<SalesforceSession>();
        services.AddSingleton<SalesforceLimits>();
        services.AddSingleton<SalesforceTasks>();
        services.AddSingleton<Crm.ICrmTasks>(sp => sp.GetRequiredService<SalesforceTasks>());
        return services;
    }
}
