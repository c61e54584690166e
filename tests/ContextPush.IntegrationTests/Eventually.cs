namespace ContextPush.IntegrationTests;

/// <summary>Waits for something the system does on its own time, with a deadline and a message that names what never came.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="probe"/> until it answers a value <paramref name="done"/> accepts, and answers that value.</summary>
    public static async Task<T> GetAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? DefaultPatience);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not reached within {(patience ?? DefaultPatience).TotalSeconds:0} s: {what}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public static Task UntilAsync(string what, Func<Task<bool>> condition, TimeSpan? patience = null) =>
        GetAsync(what, condition, done => done, patience);
}
