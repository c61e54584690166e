using System.Text;
using System.Text.RegularExpressions;
using ContextPush.AppHost.Hosting;
using static ContextPush.AppHost.Dashboard.Html;

namespace ContextPush.AppHost.Dashboard;

/// <summary>Every resource the AppHost started: servers, databases and service instances with their state, PID, endpoints, restarts and health.</summary>
internal static partial class ResourcesPage
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(1) };

    public static async Task<string> RenderAsync(DistributedApplication app)
    {
        var rows = new StringBuilder();
        var pids = app.StartedServers.ToDictionary(s => s.Name, s => s.ProcessId);
        foreach (var resource in app.Resources)
        {
            switch (resource)
            {
                case ServerResource server:
                    rows.Append(Row(server.Name, "server", "Running", pids.GetValueOrDefault(server.Name) is var pid and > 0 ? pid.ToString() : "external",
                        Mask(server.ConnectionString), "", "—"));
                    break;
                case DatabaseResource database:
                    rows.Append(Row(database.Name, "database", "Running", "", Mask(database.ConnectionString), "", "—"));
                    break;
                case ProjectResource project:
                    var probes = project.Instances.Select(async i => (Instance: i, Health: await HealthAsync(i))).ToList();
                    foreach (var (instance, health) in await Task.WhenAll(probes))
                    {
                        rows.Append(Row(instance.Name, "project", instance.State, instance.ProcessId?.ToString() ?? "—",
                            $"""<a href="{instance.Url}">{instance.Url}</a>""", instance.Restarts.ToString(), health,
                            $"""<a href="/console/{E(instance.Name)}">console</a>"""));
                    }

                    break;
            }
        }

        var otlp = app.OtlpEndpoint is { } endpoint ? $"Receiving OTLP/HTTP (protobuf) on <code>{endpoint}</code>; {app.Traces.Count} traces kept." : "Services export to the collector in OTEL_EXPORTER_OTLP_ENDPOINT.";
        return Page("Resources", "Resources", $"""
            <p class="muted">{otlp}</p>
            <table id="resources"><tr><th>Name</th><th>Type</th><th>State</th><th>PID</th><th>Endpoint</th><th>Restarts</th><th>Health</th><th></th></tr>
            {rows}</table>
            """, refreshSeconds: 5);
    }

    private static string Row(string name, string type, string state, string pid, string endpoint, string restarts, string health, string extra = "") =>
        $"""<tr data-resource="{E(name)}"><td><b>{E(name)}</b></td><td>{type}</td><td class="{(state == "Running" ? "ok" : "bad")}">{E(state)}</td><td>{pid}</td><td>{endpoint}</td><td>{restarts}</td><td>{health}</td><td>{extra}</td></tr>""";

    private static async Task<string> HealthAsync(ServiceInstance instance)
    {
        if (instance.ProcessId is null)
        {
            return """<span class="bad">no process</span>""";
        }

        try
        {
            using var response = await Probe.GetAsync(new Uri(instance.Url, "/health"));
            return response.IsSuccessStatusCode ? """<span class="ok">Healthy</span>""" : $"""<span class="bad">Unhealthy ({(int)response.StatusCode})</span>""";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return """<span class="bad">not answering</span>""";
        }
    }

    /// <summary>Connection strings without their passwords: the dashboard is for looking, not for copying secrets.</summary>
    private static string Mask(string? connection) => connection is null ? "" :
        $"<code>{E(Password().Replace(UserInfo().Replace(connection, "://$1:***@"), "$1=***"))}</code>";

    [GeneratedRegex("://([^:/@]+):[^@]*@")]
    private static partial Regex UserInfo();

    [GeneratedRegex("((?i)password)=[^;,]*")]
    private static partial Regex Password();
}
