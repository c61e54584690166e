using System.Globalization;
using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace ContextPush.Throttler.Throttling;

/// <summary>Applies a push's throttle rules to one assembled delta.</summary>
public sealed class DeliveryThrottle(FrequencyCap cap, SentCards sentCards, IOptions<ThrottlerOptions> options, TimeProvider clock)
{
    public async Task<Decision> DecideAsync(ContextAssembled assembled, CancellationToken ct)
    {
        var delta = assembled.Delta;
        var now = clock.GetUtcNow();
        Decision Decide(bool approved, string reason, string detail) => new(
            delta.DeltaId, delta.CorrelationId, delta.PushId, delta.AccountKey, delta.Topic, approved, reason, detail, now);

        if (delta.Kind == DeltaKind.Left)
        {
            // A resolution marks an existing card resolved; it is never capped, and without a card it says nothing.
            return await sentCards.ExistsAsync(delta.PushId, delta.AccountKey, ct)
                ? Decide(true, "resolution", "left the cohort; its card will be marked resolved")
                : Decide(false, "resolution-without-card", "left the cohort; no card was sent for it");
        }

        var window = delta.Settings.GetValueOrDefault("throttle:frequency") is { } text
            ? DurationText.Parse(text, $"push {delta.PushId}: throttle.frequency")
            : options.Value.DefaultFrequency;
        if (await cap.TryClaimAsync(delta.Topic, delta.AccountKey, delta.DeltaId, window) is { } remaining)
        {
            var until = (now + remaining).ToString("u", CultureInfo.InvariantCulture);
            return Decide(false, "frequency-cap", $"frequency cap until {until} (once every {window.TotalDays:0.##} days)");
        }

        return Decide(true, "approved", $"first card for this account and topic within {window.TotalDays:0.##} days");
    }
}
