using System.Globalization;
using ContextPush.Callbacks.Actions;
using Microsoft.Extensions.Options;

namespace ContextPush.Callbacks.Explain;

/// <summary>
/// "Why didn't I get this alert?": composes the Detector's account story, the Throttler's decisions, the
/// Dispatcher's deliveries and the actions recorded here, each from its owner's API. A service that
/// cannot answer is named with its error; the others' parts are still told.
/// </summary>
public sealed class AccountExplainer(
    IDetectorStoryApi detector,
    IThrottlerDecisionsApi throttler,
    IDispatcherDeliveriesApi dispatcher,
    ActionStore actions,
    IOptions<CallbacksOptions> options,
    IConfiguration configuration)
{
    public async Task<Explanation> ExplainAsync(string push, string account, CancellationToken ct)
    {
        var settings = options.Value.Explain;
        var unavailable = new Dictionary<string, string>();
        var storyTask = AskAsync("detector", t => detector.StoryAsync(push, account, t), unavailable, ct);
        var decisionsTask = AskAsync("throttler", t => throttler.DecisionsAsync(push, account, settings.Deltas, t), unavailable, ct);
        var deliveriesTask = AskAsync("dispatcher", t => dispatcher.DeliveriesAsync(push, account, settings.Deltas, t), unavailable, ct);
        var (story, decisions, deliveries) = (await storyTask, await decisionsTask ?? [], await deliveriesTask ?? []);

        var deltas = new List<ExplainedDelta>();
        foreach (var decision in decisions.OrderByDescending(d => d.DecidedAt))
        {
            deltas.Add(new ExplainedDelta(decision.DeltaId, decision, deliveries.FirstOrDefault(d => d.DeltaId == decision.DeltaId),
                [.. (await actions.ListAsync(push, decision.DeltaId, 50, ct)).OrderBy(a => a.ActedAt)]));
        }

        return new Explanation(push, account, StoryTeller.Tell(story, deltas, unavailable), story, deltas, unavailable);
    }

    private async Task<T?> AskAsync<T>(string service, Func<CancellationToken, Task<T>> ask, Dictionary<string, string> unavailable,
        CancellationToken ct) where T : class
    {
        if (options.Value.Explain.AddressOf(service, configuration) is null)
        {
            lock (unavailable)
            {
                unavailable[service] = $"its address is not configured: set Callbacks:Explain:{char.ToUpperInvariant(service[0])}{service[1..]}";
            }

            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Explain.Timeout);
        try
        {
            return await ask(timeout.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or Refit.ApiException or Refit.ApiRequestException or OperationCanceledException)
        {
            lock (unavailable)
            {
                unavailable[service] = e switch
                {
                    Refit.ApiException api => string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)api.StatusCode}: {Shorten(api.Content)}"),
                    OperationCanceledException or Refit.ApiRequestException { InnerException: OperationCanceledException } =>
                        $"no answer within {options.Value.Explain.Timeout.TotalSeconds:0} s",
                    // Refit wraps what went wrong on the way (a refused connection, a timeout) in ApiRequestException.
                    Refit.ApiRequestException { InnerException: { } inner } => inner.Message,
                    _ => e.Message,
                };
            }

            return null;
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300] + "…";
}
