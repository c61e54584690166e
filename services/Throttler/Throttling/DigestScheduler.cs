using System.Security.Cryptography;
using System.Text;
using ContextPush.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Throttler.Throttling;

/// <summary>At each push's digest time, sends every owner's held deltas as one DigestApproved.</summary>
public sealed class DigestScheduler(HeldForDigest held, IBus bus, IOptions<ThrottlerOptions> options, TimeProvider clock, ILogger<DigestScheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DigestPollInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var sent = await held.SendDueAsync(clock.GetUtcNow(), group => bus.Publish(ToDigest(group), stoppingToken), stoppingToken);
                if (sent > 0)
                {
                    logger.LogInformation("Sent {DigestCount} digest(s)", sent);
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or MassTransitException or TimeoutException)
            {
                // Nothing is marked sent unless its digest was published: the next tick tries again.
                logger.LogWarning(e, "Sending due digests failed; retrying at the next check");
            }
        }
    }

    private static DigestApproved ToDigest(HeldForDigest.Group group) => new()
    {
        CorrelationId = NewId.NextGuid(),
        DigestId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{group.PushId}\n{group.OwnerKey}\n{group.DueAt:O}"))[..16]),
        DeltaIds = group.Items.Select(i => i.DeltaId).ToList(),
        PushId = group.PushId,
        Owner = group.Items[0].Context.Owner,
        Items = group.Items.Select(i => new DigestItem(i.Delta, i.Context)).ToList(),
        DueAt = group.DueAt,
    };
}
