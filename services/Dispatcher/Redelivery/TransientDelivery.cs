using System.Net;
using System.Net.Sockets;
using ContextPush.Dispatcher.Slack;
using MailKit;
using MailKit.Net.Smtp;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace ContextPush.Dispatcher.Redelivery;

/// <summary>
/// Whether a failed send may succeed later: the platform was down, slow, overloaded, unreachable, or
/// our circuit to it was open. A refusal (<see cref="Delivery.DeliveryRejectedException"/>) is not
/// transient; neither is a fault of our own (a bug), which goes to the error queue.
/// </summary>
public static class TransientDelivery
{
    public static bool Is(Exception e, CancellationToken stopping) => e switch
    {
        // The service is stopping: the message goes back to the queue, nothing is scheduled.
        OperationCanceledException when stopping.IsCancellationRequested => false,
        Delivery.DeliveryRejectedException => false,
        ApiException api => api.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)api.StatusCode >= 500,
        HttpRequestException http => http.StatusCode is null or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)http.StatusCode >= 500,
        SlackApiException or BrokenCircuitException or TimeoutRejectedException or TimeoutException => true,
        // HttpClient's own time-out; any other cancellation is a lost claim, whose new owner carries on.
        OperationCanceledException cancelled => cancelled.InnerException is TimeoutException,
        SocketException or IOException => true,
        SmtpCommandException smtp => (int)smtp.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException => true,
        _ => e.InnerException is { } inner && Is(inner, stopping),
    };

    /// <summary>The failure in a line, the platform's words first, for the delivery record and the logs.</summary>
    public static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length <= 500 ? text : text[..500] + "…";
    }
}
