namespace ContextPush.LocalServers;

/// <summary>A server this process started and must stop: its data directory goes with it.</summary>
public interface ILocalServer : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The connection string in the format Aspire gives the same resource.</summary>
    string ConnectionString { get; }

    /// <summary>The OS process id, for the dashboard and for tests that prove nothing was left behind.</summary>
    int ProcessId { get; }
}
