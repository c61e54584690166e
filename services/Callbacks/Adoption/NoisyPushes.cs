using System.Globalization;
using ContextPush.Contracts;
using Microsoft.Extensions.Options;

namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// The pushes people mostly ignore: an acted-on rate below <see cref="AdoptionOptions.NoisyRate"/> of at
/// least <see cref="AdoptionOptions.NoisyMinCards"/> cards over <see cref="AdoptionOptions.NoisyPeriod"/>.
/// Each comes with the priority threshold that would have kept every card acted on and dropped most of
/// the rest, computed from the z-scores the cards were approved with, and a metric's tolerance that
/// would have, computed from their moves (<see cref="ToleranceSuggester"/>). Nothing changes by itself.
/// </summary>
public sealed class NoisyPushes(AdoptionStore adoption, IOptions<CallbacksOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<NoisyPush>> FindAsync(DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value.Adoption;
        var since = now - settings.NoisyPeriod;
        var noisy = new List<NoisyPush>();
        foreach (var push in await adoption.FiguresAsync(null, null, since, Window, now, ct))
        {
            var decided = push.ActedOn + push.Ignored;
            if (decided < settings.NoisyMinCards || push.ActedOnRate is not { } rate || rate >= settings.NoisyRate)
            {
                continue;
            }

            var (acted, ignored) = await adoption.ScoresAsync(push.PushId, since, Window, now, ct);
            var (actedMoves, ignoredMoves) = await adoption.MovesAsync(push.PushId, since, Window, now, ct);
            noisy.Add(Suggest(push.PushId, rate, decided, since, acted, ignored, settings.NoisyRate, ToleranceSuggester.Suggest(actedMoves, ignoredMoves)));
        }

        return noisy;
    }

    /// <summary>
    /// The highest threshold (to the hundredth, below the lowest score acted on) that keeps every card
    /// acted on; suggested when it drops at least half of the ignored cards.
    /// </summary>
    public static NoisyPush Suggest(string pushId, double rate, long cards, DateTimeOffset since, IReadOnlyList<double> acted, IReadOnlyList<double> ignored,
        double noisyRate, ToleranceSuggestion? tolerance = null)
    {
        var scored = SuggestThreshold(pushId, rate, cards, since, acted, ignored, noisyRate);
        return tolerance is null ? scored : scored with
        {
            SuggestedTolerance = tolerance,
            Explanation = scored.Explanation + string.Create(CultureInfo.InvariantCulture,
                $"; or metric {tolerance.Metric} with {tolerance.Field}: {tolerance.Value:0.######} as its only tolerance would have kept all {tolerance.ActedOn} changes acted on that it alone made and dropped {tolerance.Dropped} of {tolerance.Ignored} ignored changes"),
        };
    }

    private static NoisyPush SuggestThreshold(string pushId, double rate, long cards, DateTimeOffset since, IReadOnlyList<double> acted, IReadOnlyList<double> ignored,
        double noisyRate)
    {
        var flag = string.Create(CultureInfo.InvariantCulture,
            $"{pushId}: {rate * 100:0}% of {cards} cards acted on since {since:yyyy-MM-dd}, below {noisyRate * 100:0}%");
        if (acted.Count == 0 || ignored.Count == 0)
        {
            return new NoisyPush(pushId, rate, cards, since, null, flag + (acted.Count == 0 && cards > 0
                ? "; no card was acted on: consider retiring the push"
                : "; its cards carry no priority score to suggest a threshold from"));
        }

        var threshold = Math.Max(0, Math.Floor(acted.Min() * 100) / 100 - 0.01);
        var dropped = ignored.Count(z => z <= threshold);
        return dropped * 2 >= ignored.Count
            ? new NoisyPush(pushId, rate, cards, since, threshold, flag + string.Create(CultureInfo.InvariantCulture,
                $"; throttle.priority.threshold: {threshold:0.##} would have kept all {acted.Count} acted on and dropped {dropped} of {ignored.Count} ignored"))
            : new NoisyPush(pushId, rate, cards, since, null, flag + string.Create(CultureInfo.InvariantCulture,
                $"; no threshold separates them: one keeping all {acted.Count} acted on drops only {dropped} of {ignored.Count} ignored"));
    }
}

/// <summary>A push flagged as noisy, its numbers and the suggestion in words.</summary>
public sealed record NoisyPush(string PushId, double ActedOnRate, long Cards, DateTimeOffset Since, double? SuggestedThreshold, string Explanation)
{
    /// <summary>The tolerance alternative to the threshold, when one separates what people act on from the rest.</summary>
    public ToleranceSuggestion? SuggestedTolerance { get; init; }
}
