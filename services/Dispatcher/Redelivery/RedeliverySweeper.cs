using System.Diagnostics;
using System.Text.Json;
using ContextPush.Contracts;
using ContextPush.Dispatcher.Consumers;
using ContextPush.Dispatcher.Crm;
using ContextPush.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextPush.Dispatcher.Redelivery;

/// <summary>
/// Sends each card whose next attempt is due back to the Dispatcher's own queue, in the trace of the
/// delta it belongs to. Every replica sweeps; a row is taken by one of them.
/// </summary>
public sealed class RedeliverySweeper(
    RedeliveryStore redeliveries,
    ISendEndpointProvider endpoints,
    IEndpointNameFormatter names,
    IOptions<DispatcherOptions> options,
    TimeProvider clock,
    ILogger<RedeliverySweeper> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new(Microsoft.Extensions.Hosting.Extensions.ContextPushTelemetryName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await redeliveries.SendDueAsync(clock.GetUtcNow(), SendAsync, stoppingToken) > 0)
                {
                    // A full batch: look again at once.
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Our database or broker is away: the rows wait where they are until the next sweep.
                logger.LogWarning(e, "Sending due redeliveries failed; trying again at the next sweep");
            }

            await Task.Delay(options.Value.Redelivery.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task SendAsync(string type, JsonElement message, string? traceParent, CancellationToken ct)
    {
        using var activity = ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity("redeliver", ActivityKind.Producer, parent)
            : Source.StartActivity("redeliver", ActivityKind.Producer);
        switch (type)
        {
            case nameof(DeliveryApproved):
                var approved = message.Deserialize<DeliveryApproved>()!;
                activity?.SetTag(DeltaTagNames.DeltaId, approved.DeltaId.ToString());
                await Send(names.Consumer<DeliveryApprovedConsumer>(), approved, ct);
                break;
            case nameof(CrmTaskDue):
                var crm = message.Deserialize<CrmTaskDue>()!;
                activity?.SetTag(DeltaTagNames.DeltaId, crm.Approved.DeltaId.ToString());
                await Send(names.Consumer<CrmTaskConsumer>(), crm, ct);
                break;
            case nameof(DigestApproved):
                var digest = message.Deserialize<DigestApproved>()!;
                activity?.SetTag(DeltaTagNames.DeltaId, digest.DigestId.ToString());
                await Send(names.Consumer<DigestApprovedConsumer>(), digest, ct);
                break;
            case nameof(AdoptionReportDue):
                var report = message.Deserialize<AdoptionReportDue>()!;
                await Send(names.Consumer<AdoptionReportDueConsumer>(), report, ct);
                break;
            default:
                throw new InvalidOperationException($"a redelivery of unknown type {type}");
        }
    }

    private async Task Send<T>(string queue, T message, CancellationToken ct) where T : class =>
        await (await endpoints.GetSendEndpoint(new Uri($"queue:{queue}"))).Send(message, ct);
}
