using System.Net;
using System.Net.Sockets;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Dispatcher.Redelivery;
using ContextPush.Dispatcher.Slack;
using MailKit.Net.Smtp;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ContextPush.UnitTests;

/// <summary>Which failed sends are tried again later: a platform's outage is, its refusal and our own faults are not.</summary>
public sealed class TransientDeliveryTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "HTTP 500", new HttpRequestException("down", null, HttpStatusCode.InternalServerError), true },
        { "HTTP 503", new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable), true },
        { "HTTP 429", new HttpRequestException("slow down", null, HttpStatusCode.TooManyRequests), true },
        { "connection refused", new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "Slack internal_error", new SlackApiException("chat.postMessage", "internal_error"), true },
        { "circuit open", new BrokenCircuitException("open"), true },
        { "Polly time-out", new TimeoutRejectedException("late"), true },
        { "HttpClient time-out", new TaskCanceledException("late", new TimeoutException()), true },
        { "SMTP 451", new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ErrorInProcessing, "try later"), true },
        { "HTTP 400", new HttpRequestException("bad", null, HttpStatusCode.BadRequest), false },
        { "HTTP 404", new HttpRequestException("gone", null, HttpStatusCode.NotFound), false },
        { "SMTP 550", new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user"), false },
        { "Slack channel_not_found", new DeliveryRejectedException("slack", "C0", "channel_not_found"), false },
        { "a lost claim", new OperationCanceledException(), false },
        { "a bug", new NullReferenceException(), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Outages_are_transient_refusals_and_bugs_are_not(string what, Exception failure, bool transient) =>
        Assert.True(TransientDelivery.Is(failure, CancellationToken.None) == transient, $"{what}: expected transient={transient}");

    [Fact]
    public void A_send_cut_short_by_the_service_stopping_is_not_scheduled_again() =>
        Assert.False(TransientDelivery.Is(new TaskCanceledException("stopping"), new CancellationToken(canceled: true)));
}
