using System.Globalization;
using ContextPush.Contracts;
using ContextPush.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace ContextPush.Throttler.Throttling;

/// <summary>Applies a push's throttle rules to one assembled delta.</summary>
public sealed class DeliveryThrottle(FrequencyCap cap, IOptions<ThrottlerOptions> options, TimeProvider clock)
{
    public async Task<Decision> DecideAsync(ContextAssembled assembled)
    {
        var delta = assembled.Delta;
        var now = clock.GetUtcNow();
        Decision Decide(bool approved, string reason, string detail) => new(
            delta.DeltaId, delta.CorrelationId, delta.PushId, delta.AccountKey, delta.Topic, approved, reason, detail, now);

        if (delta.Kind == DeltaKind.Left)
        {
            // Resolutions update an existing card, which the Dispatcher cannot do yet.
            return Decide(false, "resolution-without-card", "left the cohort; no card to resolve");
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
