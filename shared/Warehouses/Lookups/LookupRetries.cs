namespace ContextPush.Warehouses.Lookups;

/// <summary>
/// A lookup on a database warehouse tried again while the server cannot be reached, as the REST
/// engines' calls are (<see cref="Rest.PatientHttp"/>), then given up as unavailable: a card waits
/// only so long for its context.
/// </summary>
internal static class LookupRetries
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];

    public static async Task<T> RunAsync<T>(Func<Task<T>> query, Func<Exception, bool> isLost, string engine, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await query();
            }
            catch (Exception e) when (isLost(e) && !ct.IsCancellationRequested)
            {
                if (attempt >= Pauses.Length)
                {
                    throw new WarehouseUnavailableException($"{engine} could not be reached after {attempt + 1} tries: {e.Message}", e);
                }

                await Task.Delay(Pauses[attempt], ct);
            }
        }
    }
}
