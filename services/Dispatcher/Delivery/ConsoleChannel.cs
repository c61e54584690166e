using ContextPush.Wording;
using System.Globalization;
using System.Text;
using ContextPush.Contracts;

namespace ContextPush.Dispatcher.Delivery;

/// <summary>The local default: the card, readable, in the log, when no chat platform is configured.</summary>
public sealed class ConsoleChannel(ILogger<ConsoleChannel> logger) : ICardChannel
{
    public Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var card = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"┌─ {approved.Context.Headline}")
            .AppendJoin("", approved.Delta.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture,
                $"│  {m.Key}: {MetricText.Describe(m.Value, approved.Delta.PreviousMetrics.GetValueOrDefault(m.Key), MetricText.Of(approved.Delta, m.Key))}\n")))
            .AppendJoin("", approved.Context.Lines.Select(l => $"│  {l}\n"))
            .AppendJoin("", approved.Context.Links.Select(l => $"│  [{l.Label}] {l.Url}\n"))
            .Append("└─ [Mark as reviewed]  push ").Append(approved.Delta.PushId).Append(" · delta ").Append(approved.DeltaId);
        logger.LogInformation("Card for {AccountKey}:\n{Card}", approved.Delta.AccountKey, card.ToString());
        return Task.FromResult(new SentCard("console", "log", approved.DeltaId.ToString("N")));
    }

    public Task<SentCard> SendDigestAsync(DigestApproved digest)
    {
        var text = string.Join("\n", digest.Items.Select(i => $"│  • {i.Context.Headline}"));
        logger.LogInformation("Digest for {Owner} ({PushId}), {Count} accounts:\n┌─ {Count} accounts need attention\n{Items}\n└─",
            digest.Owner?.Name ?? "the team", digest.PushId, digest.Items.Count, digest.Items.Count, text);
        return Task.FromResult(new SentCard("console", "log", digest.DigestId.ToString("N")));
    }
}
