using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ContextPush.Testing.Fakes;

/// <summary>
/// Trouble a fake API can be told to cause on its next calls, in the shape the real API causes it:
/// 429 with Retry-After and the API's own error body, 5xx, or an answer that comes too late. Also
/// the log of every call, so tests can count them.
/// </summary>
public sealed class FaultPlan
{
    private int rateLimited;
    private int retryAfterSeconds;
    private int failures;
    private int failureStatus;
    private int stalls;
    private TimeSpan stall;

    /// <summary>Every call as it arrived: when, and the path with its query.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Path)> Calls { get; } = new();

    public int CallsTo(string pathStart) => Calls.Count(c => c.Path.StartsWith(pathStart, StringComparison.Ordinal));

    public void RateLimitNext(int count, int retryAfter)
    {
        retryAfterSeconds = retryAfter;
        Interlocked.Exchange(ref rateLimited, count);
    }

    public void FailNext(int count, int status = StatusCodes.Status500InternalServerError)
    {
        failureStatus = status;
        Interlocked.Exchange(ref failures, count);
    }

    public void StallNext(int count, TimeSpan delay)
    {
        stall = delay;
        Interlocked.Exchange(ref stalls, count);
    }

    /// <summary>Records the call and returns the fault to answer with, or null to answer normally.</summary>
    public async Task<IResult?> NextAsync(HttpContext context, Func<object> rateLimitBody, Func<int, object> errorBody)
    {
        Calls.Enqueue((DateTimeOffset.UtcNow, context.Request.Path + context.Request.QueryString));
        if (Interlocked.Decrement(ref stalls) >= 0)
        {
            // Longer than the client waits: it gives up on this attempt; the answer is never read.
            await Task.Delay(stall, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (Interlocked.Decrement(ref rateLimited) >= 0)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Json(rateLimitBody(), statusCode: StatusCodes.Status429TooManyRequests);
        }

        return Interlocked.Decrement(ref failures) >= 0 ? Results.Json(errorBody(failureStatus), statusCode: failureStatus) : null;
    }
}
