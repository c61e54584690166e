using System.Net;
using System.Text.Json.Nodes;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.PushFiles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Refit;

namespace ContextPush.Dispatcher.Teams;

/// <summary>Posts the Adaptive Card to the push's Workflows webhook (delivery.teams.webhook names it in configuration).</summary>
public sealed class TeamsChannel(IHttpClientFactory http, ActionLinks links, DestinationPacer pacer, IOptions<DispatcherOptions> options) : ICardChannel
{
    public const string HttpClientName = "teams";

    public async Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var name = PushSettingsReader.Of(approved.Delta).Delivery.TeamsWebhook;
        var (review, snooze, opens) = links.For(approved, approved.Context.Owner?.Email ?? $"teams:{name}", "teams");
        // The webhook answers 202 without an id: the card cannot be edited later, so none is kept.
        return await PostAsync(approved.Delta.PushId, name, TeamsCard.Build(approved, review, snooze, opens), approved.DeltaId.ToString("N"), ct);
    }

    /// <summary>Posts a card of ContextPush's own (the weekly adoption card) to a named webhook.</summary>
    public async Task<SentCard> PostAsync(string pushId, string? name, JsonObject message, string messageId, CancellationToken ct)
    {
        if (name is null)
        {
            throw new DeliveryRejectedException("teams", null, $"push {pushId}: delivery.teams.webhook is not set");
        }

        if (!options.Value.Teams.Webhooks.TryGetValue(name, out var url))
        {
            throw new DeliveryRejectedException("teams", name, $"Dispatcher:Teams:Webhooks:{name} is not configured");
        }

        await PostAsync(name, url, message, ct);
        return new SentCard("teams", name, messageId);
    }

    private async Task PostAsync(string name, Uri url, JsonObject message, CancellationToken ct)
    {
        await pacer.WaitTurnAsync("teams", name, options.Value.Teams.MessagesPerSecondPerWebhook, ct);
        using var client = http.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(url.GetLeftPart(UriPartial.Authority));
        var api = RestService.ForGenerated<ITeamsWebhookApi>(client);
        var query = QueryHelpers.ParseQuery(url.Query).ToDictionary(q => q.Key, q => q.Value.ToString());
        using var response = await api.PostAsync(url.AbsolutePath.TrimStart('/'), query, message, ct);
        if (!response.IsSuccessStatusCode)
        {
            var error = $"HTTP {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync(ct))}";
            // The resilience handler already retried 408, 429 and 5xx; any other 4xx will not get better.
            throw response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500
                ? new HttpRequestException(error, null, response.StatusCode)
                : new DeliveryRejectedException("teams", name, error);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
