using System.Globalization;
using ContextPush.AppHost.Servers;

namespace ContextPush.AppHost;

/// <summary>
/// The launch profile gives the dashboard fixed local addresses (Properties/launchSettings.json).
/// Where one of those ports is already taken, say by a second AppHost, a free one is used instead
/// of failing the start.
/// </summary>
internal static class LocalDashboard
{
    private static readonly string[] Addresses =
    [
        "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL",
    ];

    public static void UseFreePorts()
    {
        foreach (var variable in Addresses)
        {
            if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } value
                || !Uri.TryCreate(value.Split(';')[0], UriKind.Absolute, out var url) || url.Port <= 0 || FreePort.IsFree(url.Port))
            {
                continue;
            }

            var replacement = new UriBuilder(url) { Port = FreePort.Next() }.Uri.ToString().TrimEnd('/');
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Port {url.Port} is taken; {variable} is {replacement} for this run."));
            Environment.SetEnvironmentVariable(variable, replacement);
        }
    }
}
