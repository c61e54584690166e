namespace ContextPush.Assembler.Caching;

/// <summary>
/// Collects the keys concurrent deltas ask for during a short window (or until a batch is full) and
/// fetches them with one call: the deltas of one run arrive together, so 10,000 deltas make about
/// 10,000 / batch-size calls instead of 10,000. A key already waiting is shared, not asked twice.
/// </summary>
public sealed class BatchLoader<TValue>(
    Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, TValue>>> fetch,
    int maxBatch,
    TimeSpan window) where TValue : class
{
    private readonly Lock gate = new();
    private Dictionary<string, TaskCompletionSource<TValue?>> pending = [];

    public Task<TValue?> LoadAsync(string key, CancellationToken ct)
    {
        TaskCompletionSource<TValue?> waiter;
        Dictionary<string, TaskCompletionSource<TValue?>>? full = null;
        var first = false;
        lock (gate)
        {
            if (!pending.TryGetValue(key, out waiter!))
            {
                waiter = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
                pending[key] = waiter;
                first = pending.Count == 1;
                if (pending.Count >= maxBatch)
                {
                    full = pending;
                    pending = [];
                }
            }
        }

        if (full is not null)
        {
            _ = FetchAsync(full);
        }
        else if (first)
        {
            _ = FlushAfterWindowAsync();
        }

        return waiter.Task.WaitAsync(ct);
    }

    private async Task FlushAfterWindowAsync()
    {
        await Task.Delay(window);
        Dictionary<string, TaskCompletionSource<TValue?>> batch;
        lock (gate)
        {
            // A full batch may have gone already; what is pending now started after it.
            if (pending.Count == 0)
            {
                return;
            }

            batch = pending;
            pending = [];
        }

        await FetchAsync(batch);
    }

    private async Task FetchAsync(Dictionary<string, TaskCompletionSource<TValue?>> batch)
    {
        try
        {
            // Not the first caller's token: the batch serves every waiter, and the HTTP pipeline has its own timeouts.
            var found = await fetch([.. batch.Keys], CancellationToken.None);
            foreach (var (key, waiter) in batch)
            {
                waiter.TrySetResult(found.GetValueOrDefault(key));
            }
        }
        catch (Exception e)
        {
            foreach (var waiter in batch.Values)
            {
                waiter.TrySetException(e);
            }
        }
    }
}
