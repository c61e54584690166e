using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using MimeKit;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// A small SMTP server (RFC 5321) on loopback: EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET,
/// NOOP, QUIT. It refuses the recipients it is told to with 550, as a mail server does for an unknown
/// mailbox, and keeps every accepted message, parsed with MimeKit.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<MimeMessage> _received = Channel.CreateUnbounded<MimeMessage>();
    private Task? _accepting;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentDictionary<string, bool> UnknownMailboxes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Mailboxes greylisted for their next n deliveries: answered 451, as a greylisting relay does.</summary>
    public ConcurrentDictionary<string, int> Greylisted { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every RCPT answer, in order: the recipient and the reply code.</summary>
    public ConcurrentQueue<(string To, int Code)> Replies { get; } = new();

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public static FakeSmtpServer Start()
    {
        var server = new FakeSmtpServer();
        server._listener.Start();
        server._accepting = server.AcceptAsync();
        return server;
    }

    public async Task<MimeMessage> NextMessageAsync(Func<MimeMessage, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            if (match(message))
            {
                return message;
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 fake.smtp.local ESMTP ready");
        var recipients = new List<string>();
        string? from = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-fake.smtp.local greets you");
                    await writer.WriteLineAsync("250-SIZE 10485760");
                    await writer.WriteLineAsync("250-8BITMIME");
                    await writer.WriteLineAsync("250 SMTPUTF8");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 fake.smtp.local");
                    break;
                case "MAIL":
                    from = Address(line);
                    recipients.Clear();
                    await writer.WriteLineAsync("250 2.1.0 Ok");
                    break;
                case "RCPT" when from is null:
                    await writer.WriteLineAsync("503 5.5.1 Error: need MAIL command");
                    break;
                case "RCPT":
                    var to = Address(line);
                    if (UnknownMailboxes.ContainsKey(to))
                    {
                        Replies.Enqueue((to, 550));
                        await writer.WriteLineAsync($"550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table");
                    }
                    else if (Greylisted.TryGetValue(to, out var deferrals) && deferrals > 0 && Greylisted.TryUpdate(to, deferrals - 1, deferrals))
                    {
                        Replies.Enqueue((to, 451));
                        await writer.WriteLineAsync($"451 4.7.1 <{to}>: Recipient address rejected: Greylisted, please try again later");
                    }
                    else
                    {
                        Replies.Enqueue((to, 250));
                        recipients.Add(to);
                        await writer.WriteLineAsync("250 2.1.5 Ok");
                    }

                    break;
                case "DATA" when recipients.Count == 0:
                    await writer.WriteLineAsync("554 5.5.1 Error: no valid recipients");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())));
                    Messages.Enqueue(message);
                    await _received.Writer.WriteAsync(message);
                    await writer.WriteLineAsync("250 2.0.0 Ok: queued");
                    from = null;
                    break;
                case "RSET":
                    from = null;
                    recipients.Clear();
                    await writer.WriteLineAsync("250 2.0.0 Ok");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 2.0.0 Ok");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.2 Error: command not recognized");
                    break;
            }
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<');
        var end = line.IndexOf('>', start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }

        _stop.Dispose();
    }
}
