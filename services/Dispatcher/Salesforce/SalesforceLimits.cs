using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ContextPush.Dispatcher.Salesforce;

/// <summary>
/// The org's daily API allowance, as every REST answer reports it (<c>Sforce-Limit-Info: api-usage=18/15000</c>):
/// kept as a gauge, and respected by leaving a reserve to the org's other integrations. The allowance is a
/// rolling 24 hours, so a reading older than <see cref="Freshness"/> lets one request through to read it again.
/// </summary>
public sealed partial class SalesforceLimits
{
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(15);

    private readonly TimeProvider clock;
    private long used = -1;
    private long limit = -1;
    private long observedAt;

    public SalesforceLimits(IMeterFactory meters, TimeProvider clock)
    {
        this.clock = clock;
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
        meter.CreateObservableGauge<long>("contextpush.dispatcher.salesforce.api_usage", () => Interlocked.Read(ref used) is var u and >= 0 ? [new Measurement<long>(u)] : [],
            description: "Salesforce API requests used today, as the org last reported");
        meter.CreateObservableGauge<long>("contextpush.dispatcher.salesforce.api_limit", () => Interlocked.Read(ref limit) is var l and >= 0 ? [new Measurement<long>(l)] : [],
            description: "The org's daily Salesforce API allowance");
    }

    public (long Used, long Limit)? Last => Interlocked.Read(ref limit) is var l and > 0 ? (Interlocked.Read(ref used), l) : null;

    public void Observe(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Sforce-Limit-Info", out var values) && ApiUsage().Match(string.Join(",", values)) is { Success: true } m)
        {
            Interlocked.Exchange(ref used, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            Interlocked.Exchange(ref limit, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            Interlocked.Exchange(ref observedAt, clock.GetUtcNow().UtcTicks);
        }
    }

    /// <summary>Transient while fewer than the reserve's share of today's requests remain: the task waits, it is not dropped.</summary>
    public void ThrowIfReserveReached(double reserve)
    {
        var fresh = clock.GetUtcNow().UtcTicks - Interlocked.Read(ref observedAt) < Freshness.Ticks;
        if (fresh && Last is { } last && last.Limit - last.Used <= last.Limit * reserve)
        {
            throw new HttpRequestException(
                string.Create(CultureInfo.InvariantCulture, $"salesforce: {last.Used} of the org's {last.Limit} daily API requests used; the last {reserve:P0} are left to its other integrations"),
                null, HttpStatusCode.TooManyRequests);
        }
    }

    [GeneratedRegex(@"api-usage=(\d+)/(\d+)")]
    private static partial Regex ApiUsage();
}
