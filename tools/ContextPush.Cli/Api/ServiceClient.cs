using System.Text.Json;
using Refit;

namespace ContextPush.Cli.Api;

/// <summary>Refit clients of our services, and the words of a refusal (a problem+json detail, or the body).</summary>
public static class ServiceClient
{
    public static T For<T>(Uri baseUrl) => RestService.For<T>(new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) });

    /// <summary>The exit code of a call that got no answer or a refusal (said on standard error), or null when it succeeded.</summary>
    public static async Task<int?> FailureAsync(IApiResponse response, string service, string refused)
    {
        if (Unanswered(response) is { } unanswered)
        {
            return CommandLine.Unreachable(service, unanswered);
        }

        if (!response.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync($"contextpush: {refused}: {Refusal(response)}");
            return ExitCodes.Problems;
        }

        return null;
    }

    /// <summary>Why no HTTP answer came at all (refused, timed out), or null when the service answered.</summary>
    public static Exception? Unanswered(IApiResponse response) =>
        response.Error is { } error && error is not ApiException ? error.InnerException ?? error : null;

    public static string Refusal(IApiResponse response)
    {
        var body = (response.Error as ApiException)?.Content;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var problem = JsonDocument.Parse(body);
                var root = problem.RootElement;
                var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
                var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
                return string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
            }
            catch (JsonException)
            {
                return body.Trim();
            }
        }

        return $"{(int?)response.StatusCode} {response.ReasonPhrase}";
    }
}
