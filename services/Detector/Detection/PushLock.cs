using Npgsql;

namespace ContextPush.Detector.Detection;

/// <summary>A session advisory lock on one push: at most one run of it at a time, whichever replica runs it.</summary>
public sealed class PushLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _pushId;

    private PushLock(NpgsqlConnection connection, string pushId)
    {
        _connection = connection;
        _pushId = pushId;
    }

    /// <summary>The lock, or null when another run of the push holds it.</summary>
    public static async Task<PushLock?> TryAcquireAsync(NpgsqlConnection connection, string pushId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(TrackingSql.TryLockPush, connection);
        command.Parameters.AddWithValue("push", pushId);
        return (bool)(await command.ExecuteScalarAsync(ct))! ? new PushLock(connection, pushId) : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.FullState == System.Data.ConnectionState.Open)
        {
            await using var command = new NpgsqlCommand(TrackingSql.UnlockPush, _connection);
            command.Parameters.AddWithValue("push", _pushId);
            await command.ExecuteScalarAsync();
        }
    }
}
