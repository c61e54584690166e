using System.Net;
using System.Text.Json;

namespace ContextPush.Warehouses.Rest;

/// <summary>
/// One call to a warehouse's REST API, patient with what passes: a rate limit (429, or a status the
/// API marks as one), its own stumbles (5xx), a lost connection or no answer in time are waited out
/// (Retry-After when given, else growing pauses). Past <see cref="Attempts"/> tries they become
/// <see cref="WarehouseUnavailableException"/>, which a run tries again. Any other answer comes back
/// with its status and body for the caller to read.
/// </summary>
public sealed class PatientHttp(string service, TimeProvider clock)
{
    public const int Attempts = 6;
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(8);

    public async Task<(HttpStatusCode Status, JsonDocument Body)> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> call,
        Func<HttpStatusCode, JsonDocument, bool>? isRateLimit, CancellationToken ct)
    {
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await call(ct);
                var body = Parse(await response.Content.ReadAsStringAsync(ct));
                var limited = response.StatusCode == HttpStatusCode.TooManyRequests || (isRateLimit?.Invoke(response.StatusCode, body) ?? false);
                if (!limited && response.StatusCode < HttpStatusCode.InternalServerError)
                {
                    return (response.StatusCode, body);
                }

                body.Dispose();
                problem = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                retryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - clock.GetUtcNow(),
                    _ => null,
                };
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // IOException: the connection cut while the body was being read.
                problem = e.Message;
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                problem = $"no answer in time ({e.Message})";
            }

            if (attempt >= Attempts)
            {
                throw new WarehouseUnavailableException($"{service} is unavailable after {Attempts} tries: {problem}", null);
            }

            var wait = retryAfter is { } given && given > TimeSpan.Zero ? given : pause;
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            await Task.Delay(wait, clock, ct);
        }
    }

    private static JsonDocument Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(new { message = text }));
        }
    }
}
