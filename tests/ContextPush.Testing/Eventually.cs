namespace ContextPush.Testing;

/// <summary>
/// The one way tests wait for something the system does on its own time: polled, with a deadline, and
/// failing with a message that names what never came (and, when asked, what was seen instead).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="probe"/> until it answers a value <paramref name="done"/> accepts, and answers that value.</summary>
    public static async Task<T> GetAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done, TimeSpan? patience = null,
        Func<T, string>? lastSeen = null)
    {
        var wait = patience ?? DefaultPatience;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"not reached within {wait.TotalSeconds:0} s: {what}" + (lastSeen is null ? "" : $"; last seen: {lastSeen(value)}"));
            }

            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }
    }

    public static Task UntilAsync(string what, Func<Task<bool>> condition, TimeSpan? patience = null) =>
        GetAsync(what, condition, done => done, patience);

    /// <summary>Polls until <paramref name="probe"/> finds something (not null), and answers it.</summary>
    public static async Task<T> FindAsync<T>(string what, Func<Task<T?>> probe, TimeSpan? patience = null) where T : class =>
        (await GetAsync(what, probe, found => found is not null, patience))!;
}
