using ContextPush.Assembler.Sources;
using ContextPush.Assembler.Sources.Slack;
using ContextPush.Assembler.Telemetry;
using ContextPush.Contracts;
using ContextPush.PushFiles;
using ContextPush.Wording;
using Microsoft.Extensions.Options;

namespace ContextPush.Assembler.Context;

/// <summary>
/// Turns a delta into a story with a person to act on it. Sources are chosen per push; when one is
/// down, slow or has no answer, the delta goes on with what is known and says what is missing. An
/// unknown owner leaves <see cref="AssembledContext.Owner"/> empty, which routes the card to the
/// push's fallback destination.
/// </summary>
public sealed class ContextAssembler(
    IEnumerable<IOwnerSource> ownerSources,
    IEnumerable<ITicketSource> ticketSources,
    SlackIdLookup slack,
    CardWording wording,
    AssemblerMetrics metrics,
    IOptions<AssemblerOptions> options,
    ILogger<ContextAssembler> logger)
{
    public async Task<AssembledContext> AssembleAsync(DeltaDetected delta, CancellationToken ct)
    {
        var settings = PushSettingsReader.Of(delta).Context;
        var ownerName = settings.Owner;
        var ticketsName = settings.Tickets;
        var count = settings.TicketCount ?? options.Value.TicketCount;

        var ownerSource = ownerSources.FirstOrDefault(s => s.Name == ownerName);
        var ticketSource = ticketsName == "none" ? null : ticketSources.FirstOrDefault(s => s.Name == ticketsName);
        var accountTask = AskAsync(delta, ownerName, "owner", ct, () =>
            ownerSource?.FindAsync(delta, ct) ?? throw new SourceNotConfiguredException($"Owner source '{ownerName}'", "context.owner to warehouse, hubspot or salesforce"));
        var ticketsTask = ticketsName == "none"
            ? Task.FromResult(new Answer<IReadOnlyList<SupportTicket>>([], null))
            : AskAsync(delta, ticketsName, "tickets", ct, () =>
                ticketSource?.RecentAsync(delta, count, ct) ?? throw new SourceNotConfiguredException($"Ticket source '{ticketsName}'", "context.tickets to warehouse, zendesk or none"));
        var (account, accountProblem) = await accountTask;
        var (tickets, ticketsProblem) = await ticketsTask;

        var missing = new List<string>();
        if (accountProblem is not null)
        {
            missing.Add(accountProblem);
        }
        else if (account is null)
        {
            missing.Add($"owner: no account '{delta.AccountKey}' in {ownerName}");
            metrics.Degraded(delta.PushId, ownerName, "not_found");
        }
        else if (account is { Owner: null })
        {
            missing.Add($"owner: the account has no owner in {ownerName}");
            metrics.Degraded(delta.PushId, ownerName, "no_owner");
        }

        if (ticketsProblem is not null)
        {
            missing.Add(ticketsProblem);
        }
        else if (tickets is null)
        {
            missing.Add($"tickets: no organization for '{delta.AccountKey}' in {ticketsName}");
            metrics.Degraded(delta.PushId, ticketsName, "not_found");
        }

        var owner = account?.Owner;
        if (owner is { SlackUserId: null, Email: { } email } && slack.IsConfigured && settings.SlackLookup)
        {
            var (id, slackProblem) = await AskAsync(delta, "slack", "Slack id", ct, async () => (await slack.FindAsync(email, ct)) is { } found ? new SlackId(found) : null);
            if (slackProblem is not null)
            {
                missing.Add(slackProblem);
            }

            owner = owner with { SlackUserId = id?.Id };
        }

        var name = account?.AccountName ?? delta.AccountKey;
        var ticketList = tickets ?? [];
        var rendered = wording.Render(new CardFacts(delta, name, account?.CrmLink?.Url, owner, ticketList, missing));
        if (rendered.Problem is { } problem)
        {
            missing.Add(problem);
            metrics.Degraded(delta.PushId, "template", "render_failed");
        }

        return new AssembledContext
        {
            AccountName = name,
            Owner = owner,
            Tickets = ticketList,
            Headline = rendered.Text.Headline,
            Lines = rendered.Text.Lines,
            FormattedLines = rendered.Formatted,
            Links = account?.CrmLink is { } link ? [link] : [],
            Missing = missing,
            Crm = account?.Crm,
        };
    }

    private async Task<Answer<T>> AskAsync<T>(DeltaDetected delta, string source, string what, CancellationToken ct, Func<Task<T?>> call)
        where T : class
    {
        try
        {
            return new Answer<T>(await call(), null);
        }
        catch (Exception e) when (SourceFailure.Describe(e, source, ct) is { } failure)
        {
            metrics.Degraded(delta.PushId, source, failure.Reason);
            logger.LogWarning("Delta {DeltaId} of push {PushId} goes on without its {What}: {Failure}", delta.DeltaId, delta.PushId, what, failure.Text);
            return new Answer<T>(null, $"{what}: {failure.Text}");
        }
    }

    private sealed record Answer<T>(T? Value, string? Problem) where T : class;

    private sealed record SlackId(string Id);
}
