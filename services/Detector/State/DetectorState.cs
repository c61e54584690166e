using Npgsql;

namespace ContextPush.Detector.State;

/// <summary>
/// The Detector's own database ("detectordb"): what was last notified, the daily history, the runs and
/// the schedule's claims. The warehouse is only ever read.
/// </summary>
public sealed class DetectorState(NpgsqlDataSource source)
{
    public const string ConnectionName = "detectordb";

    public NpgsqlDataSource Source => source;

    public NpgsqlCommand CreateCommand(string sql) => source.CreateCommand(sql);

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => source.OpenConnectionAsync(ct);
}
