using ContextPush.Contracts;
using ContextPush.Dispatcher.Delivery;
using ContextPush.PushFiles;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContextPush.Dispatcher.Email;

/// <summary>Sends the card over SMTP with MailKit to delivery.email.to, else the owner's address.</summary>
public sealed class EmailChannel(ActionLinks links, IOptions<DispatcherOptions> options) : ICardChannel
{
    public async Task<SentCard> SendAsync(DeliveryApproved approved, CancellationToken ct)
    {
        var email = options.Value.Email;
        if (string.IsNullOrWhiteSpace(email.Host))
        {
            throw new DeliveryRejectedException("email", null, $"push {approved.Delta.PushId} sends email but Dispatcher:Email:Host is not configured");
        }

        var address = PushSettingsReader.Of(approved.Delta).Delivery.EmailTo ?? approved.Context.Owner?.Email
            ?? throw new DeliveryRejectedException("email", null, $"push {approved.Delta.PushId}: the owner has no email address and delivery.email.to is not set");
        if (!MailboxAddress.TryParse(address, out var to))
        {
            throw new DeliveryRejectedException("email", address, "not a valid email address");
        }

        var (review, snooze, opens) = links.For(approved, to.Address, "email");
        var message = EmailCard.Build(approved, MailboxAddress.Parse(email.From), to, review, snooze, opens);
        await SendAsync(message, to.Address, ct);
        return new SentCard("email", to.Address, message.MessageId ?? approved.DeltaId.ToString("N"));
    }

    /// <summary>Sends a message of ContextPush's own (the weekly adoption card) from the configured sender.</summary>
    public async Task<SentCard> SendAsync(string pushId, string? address, string subject, string text, string html, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Email.Host))
        {
            throw new DeliveryRejectedException("email", null, $"push {pushId} sends email but Dispatcher:Email:Host is not configured");
        }

        if (address is null || !MailboxAddress.TryParse(address, out var to))
        {
            throw new DeliveryRejectedException("email", address, $"push {pushId}: delivery.email.to is not a valid email address");
        }

        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse(options.Value.Email.From));
        message.To.Add(to);
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        await SendAsync(message, to.Address, ct);
        return new SentCard("email", to.Address, message.MessageId ?? "");
    }

    private async Task SendAsync(MimeMessage message, string to, CancellationToken ct)
    {
        var email = options.Value.Email;
        using var smtp = new SmtpClient();
        try
        {
            await smtp.ConnectAsync(email.Host!, email.Port, Enum.Parse<SecureSocketOptions>(email.Security, ignoreCase: true), ct);
            if (!string.IsNullOrEmpty(email.User))
            {
                await smtp.AuthenticateAsync(email.User, email.Password ?? "", ct);
            }

            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(quit: true, ct);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            // A 5xx reply (unknown mailbox, relay denied) is permanent; a 4xx is retried like any transient error.
            throw new DeliveryRejectedException("email", to, $"{(int)e.StatusCode} {e.Message}");
        }
        catch (AuthenticationException e)
        {
            throw new DeliveryRejectedException("email", to, $"SMTP authentication failed: {e.Message}");
        }
    }
}
