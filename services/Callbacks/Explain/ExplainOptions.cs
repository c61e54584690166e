namespace ContextPush.Callbacks.Explain;

/// <summary>
/// Where the services GET /explain asks are; without an address, the service discovered by the
/// orchestrator (services:&lt;name&gt;:http:0), as Aspire and the Kubernetes manifests set it.
/// </summary>
public sealed class ExplainOptions
{
    public Uri? Detector { get; set; }

    public Uri? Throttler { get; set; }

    public Uri? Dispatcher { get; set; }

    /// <summary>The most recent deltas told.</summary>
    public int Deltas { get; set; } = 20;

    /// <summary>Each service gets this long to answer; a slow one is reported, the rest is still told.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The service's address: configured, else discovered; null when neither.</summary>
    public Uri? AddressOf(string service, IConfiguration configuration) => service switch
    {
        "detector" => Detector,
        "throttler" => Throttler,
        "dispatcher" => Dispatcher,
        _ => null,
    } ?? (configuration[$"services:{service}:http:0"] is { } url ? new Uri(url) : null);
}
