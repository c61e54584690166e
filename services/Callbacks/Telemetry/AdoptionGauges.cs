using System.Diagnostics.Metrics;
using ContextPush.Callbacks.Adoption;

namespace ContextPush.Callbacks.Telemetry;

/// <summary>
/// The adoption figures of the last 30 days (a week to act) as gauges per push, so any dashboard can
/// plot them: cards by what became of them, the acted-on rate, and the time to first action. Read
/// every few minutes, not per scrape: each read is a query over the period.
/// </summary>
public sealed class AdoptionGauges : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(30);
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);
    private readonly AdoptionStore _adoption;
    private readonly TimeProvider _clock;
    private readonly ILogger<AdoptionGauges> _logger;
    private IReadOnlyList<PushAdoption> _figures = [];

    public AdoptionGauges(AdoptionStore adoption, IMeterFactory meters, TimeProvider clock, ILogger<AdoptionGauges> logger)
    {
        _adoption = adoption;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);
        meter.CreateObservableGauge("contextpush.adoption.cards", () => _figures.SelectMany(f => new (string State, long Count)[]
        {
            ("delivered", f.Delivered), ("opened", f.Opened), ("reviewed", f.Reviewed), ("snoozed", f.Snoozed),
            ("acted_on", f.ActedOn), ("ignored", f.Ignored), ("pending", f.Pending), ("failed", f.Failed),
        }.Select(s => new Measurement<long>(s.Count, new("push", f.PushId), new("state", s.State)))), "{card}",
            "Cards of the last 30 days by what became of them, per push");
        meter.CreateObservableGauge("contextpush.adoption.acted_on_rate", () => _figures.Where(f => f.ActedOnRate is not null)
            .Select(f => new Measurement<double>(f.ActedOnRate!.Value, new KeyValuePair<string, object?>("push", f.PushId))), null,
            "Cards acted on within a week, of those whose week has passed, per push");
        meter.CreateObservableGauge("contextpush.adoption.time_to_first_action", () => _figures.SelectMany(f => new[]
        {
            (Quantile: "p50", Seconds: f.MedianSecondsToFirstAction), (Quantile: "p90", Seconds: f.P90SecondsToFirstAction),
        }.Where(q => q.Seconds is not null).Select(q => new Measurement<double>(q.Seconds!.Value, new("push", f.PushId), new("quantile", q.Quantile)))), "s",
            "From a card's delivery to the first action on it, per push");
    }

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads the figures now; the gauges report them until the next read.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        _figures = await _adoption.FiguresAsync(null, null, now - Period, Window, now, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Adoption figures could not be read; the gauges keep the last ones");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
