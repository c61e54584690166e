using System.Net.Sockets;
using ContextPush.Warehouses;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace ContextPush.Assembler.Sources;

/// <summary>
/// Sorts a source's exception (after the resilience pipeline's retries) into a reason for the metric
/// and a phrase for the card. Anything else (Redis, a bug) is not a source failure and is rethrown,
/// so the message is retried rather than sent on without context it could have had.
/// </summary>
public sealed record SourceFailure(string Reason, string Text)
{
    public static SourceFailure? Describe(Exception e, string sourceName, CancellationToken ct)
    {
        var source = Display(sourceName);
        return e switch
        {
            SourceNotConfiguredException => new("not_configured", e.Message),
            SourceRefusedException => new("refused", e.Message),
            ApiException api => new("unavailable", $"{source} answered HTTP {(int)api.StatusCode} {api.ReasonPhrase}".TrimEnd()),
            TimeoutRejectedException => new("timeout", $"{source} did not answer in time"),
            BrokenCircuitException => new("circuit_open", $"{source} keeps failing; calls are paused"),
            HttpRequestException { InnerException: SocketException } or HttpRequestException { StatusCode: null } => new("unavailable", $"{source} could not be reached"),
            HttpRequestException http => new("unavailable", $"{source} answered HTTP {(int)http.StatusCode!}"),
            OperationCanceledException when !ct.IsCancellationRequested => new("timeout", $"{source} did not answer in time"),
            // The warehouse is a source like the others: its query failing (a push's SQL, a key it cannot
            // cast) or the server being away degrades the card, in the server's own words.
            WarehouseRefusal refusal => new("refused", $"{source} refused the query ({refusal.Message})"),
            WarehouseUnavailableException => new("unavailable", $"{source} could not be reached"),
            InvalidCastException or KeyNotFoundException when sourceName == "warehouse" => new("refused", $"{source} answered rows the lookup cannot read: {e.Message}"),
            // Refit wraps what went wrong on the way (a Polly timeout, a refused connection) in ApiRequestException.
            _ when e.InnerException is { } inner => Describe(inner, sourceName, ct),
            _ => null,
        };
    }

    public static string Display(string sourceName) => sourceName switch
    {
        "hubspot" => "HubSpot",
        "salesforce" => "Salesforce",
        "zendesk" => "Zendesk",
        "slack" => "Slack",
        _ => $"the {sourceName}",
    };
}
