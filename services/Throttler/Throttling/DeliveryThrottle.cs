using System.Globalization;
using ContextPush.Contracts;
using ContextPush.PushFiles;
using Microsoft.Extensions.Options;

namespace ContextPush.Throttler.Throttling;

/// <summary>
/// Applies a push's throttle rules to one assembled delta, in order: people's answers (snoozed,
/// reviewed and unchanged since), the priority threshold, then the frequency cap (claimed last, so a
/// delta held by another rule never uses up the account's window). Every outcome carries its reason and numbers.
/// </summary>
public sealed class DeliveryThrottle(FrequencyCap cap, SentCards sentCards, Suppressions suppressions, PriorityRule priority,
    OwnerBudget budget, HeldForDigest held, IOptions<ThrottlerOptions> options, TimeProvider clock)
{
    public async Task<Decision> DecideAsync(ContextAssembled assembled, CancellationToken ct)
    {
        var delta = assembled.Delta;
        var now = clock.GetUtcNow();
        Decision Decide(bool approved, string reason, string detail, params (string Key, string Value)[] numbers) => new(
            delta.DeltaId, delta.CorrelationId, delta.PushId, delta.AccountKey, delta.Topic, approved, reason, detail, now)
        {
            Metrics = delta.Metrics,
            Numbers = numbers.ToDictionary(n => n.Key, n => n.Value),
        };

        if (delta.Kind == DeltaKind.Left)
        {
            // A resolution marks an existing card resolved; it is never capped, and without a card it says nothing.
            return await sentCards.ExistsAsync(delta.PushId, delta.AccountKey, ct)
                ? Decide(true, "resolution", "left the cohort; its card will be marked resolved")
                : Decide(false, "resolution-without-card", "left the cohort; no card was sent for it");
        }

        var (reviewed, snoozed) = await suppressions.FindAsync(delta.PushId, delta.AccountKey, ct);
        if (snoozed is { } snooze && snooze.Until > now)
        {
            return Decide(false, "snoozed", $"snoozed by {snooze.Actor} until {Time(snooze.Until)}",
                ("snoozed_by", snooze.Actor), ("snoozed_until", Time(snooze.Until)));
        }

        if (reviewed is { } review && !MovedSince(review.Metrics, delta))
        {
            return Decide(false, "reviewed", $"reviewed by {review.Actor} at {Time(review.At)}; unchanged beyond tolerance since",
                [("reviewed_by", review.Actor), ("reviewed_at", Time(review.At)), .. ReviewedAgainstNow(review.Metrics, delta)]);
        }

        var unusual = priority.Evaluate(delta);
        if (!unusual.Pass)
        {
            return Decide(false, unusual.Reason, unusual.Detail, [.. unusual.Numbers]);
        }

        var window = PushSettingsReader.Of(delta).Throttle.Frequency ?? options.Value.DefaultFrequency;
        var days = window.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
        if (await cap.TryClaimAsync(delta.Topic, delta.AccountKey, delta.DeltaId, window) is { } remaining)
        {
            var until = Time(now + remaining);
            return Decide(false, "frequency-cap", $"frequency cap until {until} (once every {days} days)", ("cap_until", until), ("window_days", days));
        }

        if (await OverOwnerBudgetAsync(assembled, now, ct) is { } digest)
        {
            return Decide(false, "owner-budget", $"{digest.Owner} already has {digest.Budget} card(s) today; held for the digest at {Time(digest.DueAt)}",
                ("owner", digest.Owner), ("owner_budget", digest.Budget.ToString(CultureInfo.InvariantCulture)), ("digest_at", Time(digest.DueAt)));
        }

        // A new card: what was said about the previous one no longer applies.
        if (reviewed is not null)
        {
            await suppressions.ClearReviewAsync(delta.PushId, delta.AccountKey, ct);
        }

        return Decide(true, "approved", $"first card for this account and topic within {days} days; {unusual.Detail}",
            [("window_days", days), .. unusual.Numbers]);
    }

    /// <summary>
    /// With throttle.owner_budget set, an owner gets at most that many cards a day (in the push's
    /// digest time zone); the rest are held and sent together at throttle.digest_at. Null when the
    /// delta is within budget (or has no known owner).
    /// </summary>
    private async Task<(string Owner, int Budget, DateTimeOffset DueAt)?> OverOwnerBudgetAsync(ContextAssembled assembled, DateTimeOffset now, CancellationToken ct)
    {
        var delta = assembled.Delta;
        var owner = assembled.Context.Owner;
        var settings = PushSettingsReader.Of(delta).Throttle;
        if (settings.OwnerBudget is not { } limit || owner is null)
        {
            return null;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.DigestTimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var ownerKey = owner.Email ?? owner.SlackUserId ?? owner.Name;
        if (await budget.PlaceAsync(delta.PushId, ownerKey, DateOnly.FromDateTime(local.DateTime), delta.DeltaId) <= limit)
        {
            return null;
        }

        var today = new DateTimeOffset(DateOnly.FromDateTime(local.DateTime).ToDateTime(settings.DigestAt), zone.GetUtcOffset(local.DateTime));
        var due = today > now ? today : today.AddDays(1);
        await held.HoldAsync(assembled, ownerKey, due, now, ct);
        return (ownerKey, limit, due);
    }

    /// <summary>Whether any metric moved beyond its tolerance from the reviewed value (with no tolerance known, any move counts).</summary>
    /// <summary>Each metric as reviewed and as now: the numbers behind "unchanged beyond tolerance".</summary>
    private static IEnumerable<(string, string)> ReviewedAgainstNow(IReadOnlyDictionary<string, decimal?> reviewed, DeltaDetected delta) =>
        delta.Metrics.SelectMany(m => new[]
        {
            ($"{m.Key}_reviewed", reviewed.GetValueOrDefault(m.Key)?.ToString(CultureInfo.InvariantCulture) ?? "null"),
            ($"{m.Key}_now", m.Value?.ToString(CultureInfo.InvariantCulture) ?? "null"),
        });

    private static bool MovedSince(IReadOnlyDictionary<string, decimal?> reviewed, DeltaDetected delta) =>
        delta.Metrics.Any(m =>
        {
            var before = reviewed.GetValueOrDefault(m.Key);
            if (m.Value is null || before is null)
            {
                return m.Value != before;
            }

            var move = Math.Abs(m.Value.Value - before.Value);
            var tolerance = delta.Tolerances?.GetValueOrDefault(m.Key);
            return tolerance is null or { Absolute: null, Relative: null }
                ? move > 0
                : (tolerance.Absolute is { } absolute && move > absolute) || (tolerance.Relative is { } relative && move > relative * Math.Abs(before.Value));
        });

    private static string Time(DateTimeOffset at) => at.ToString("u", CultureInfo.InvariantCulture);
}
