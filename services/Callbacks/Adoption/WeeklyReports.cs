using System.Security.Cryptography;
using System.Text;
using ContextPush.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Callbacks.Adoption;

/// <summary>
/// Once a week (<see cref="WeeklyReportOptions"/>), each push that sent cards in the period gets its
/// figures and any noisy flag as <see cref="AdoptionReportDue"/>, which the Dispatcher sends to the push's
/// channel. A week is published once per push (adoption_reports); replicas and restarts that publish it
/// again give the same ReportId, which the Dispatcher sends once.
/// </summary>
public sealed class WeeklyReports(AdoptionStore adoption, NoisyPushes noisy, IBus bus, IOptions<CallbacksOptions> options, TimeProvider clock,
    ILogger<WeeklyReports> logger) : BackgroundService
{
    private static readonly TimeSpan DaysToAct = TimeSpan.FromDays(7);

    /// <summary>Publishes the reports of the latest due time not yet published; answers how many.</summary>
    public async Task<int> PublishDueAsync(CancellationToken ct)
    {
        var settings = options.Value.Adoption;
        var due = LastDue(clock.GetUtcNow(), settings.WeeklyReport);
        var since = due - settings.NoisyPeriod;
        var flags = (await noisy.FindAsync(due, ct)).ToDictionary(n => n.PushId, n => n.Explanation);
        var published = 0;
        foreach (var push in await adoption.FiguresAsync(null, null, since, DaysToAct, due, ct))
        {
            if (push.Delivered == 0 || await adoption.ReportedAsync(push.PushId, due, ct))
            {
                continue;
            }

            // Published before it is marked: a crash in between publishes it again, and the Dispatcher's claim keeps it one card.
            await bus.Publish(new AdoptionReportDue
            {
                ReportId = ReportId(push.PushId, due),
                CorrelationId = NewId.NextGuid(),
                PushId = push.PushId,
                Since = since,
                Until = due,
                Delivered = push.Delivered,
                Opened = push.Opened,
                Reviewed = push.Reviewed,
                Snoozed = push.Snoozed,
                ActedOn = push.ActedOn,
                Ignored = push.Ignored,
                Pending = push.Pending,
                ActedOnRate = push.ActedOnRate,
                MedianSecondsToFirstAction = push.MedianSecondsToFirstAction,
                P90SecondsToFirstAction = push.P90SecondsToFirstAction,
                SuppressedBy = push.SuppressedBy,
                Failed = push.Failed,
                NoisyFlag = flags.GetValueOrDefault(push.PushId),
            }, ct);
            await adoption.MarkReportedAsync(push.PushId, due, clock.GetUtcNow(), ct);
            logger.LogInformation("Weekly adoption report of push {PushId} for {Due:yyyy-MM-dd} published", push.PushId, due);
            published++;
        }

        return published;
    }

    /// <summary>The latest weekly due time at or before now.</summary>
    public static DateTimeOffset LastDue(DateTimeOffset now, WeeklyReportOptions report)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + report.At.ToTimeSpan();
        var back = ((int)today.DayOfWeek - (int)report.Day + 7) % 7;
        var due = today.AddDays(-back);
        return due > now ? due.AddDays(-7) : due;
    }

    public static Guid ReportId(string pushId, DateTimeOffset due)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"adoption-report|{pushId}|{due.UtcDateTime:O}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var report = options.Value.Adoption.WeeklyReport;
        if (!report.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(report.CheckInterval, clock);
        do
        {
            try
            {
                await PublishDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Weekly adoption reports could not be published; trying again in {Interval}", report.CheckInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
