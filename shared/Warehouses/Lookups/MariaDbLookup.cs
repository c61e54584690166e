using MySqlConnector;

namespace ContextPush.Warehouses.Lookups;

/// <summary>
/// A lookup on a MariaDB or MySQL warehouse, with its @name parameters as MySqlConnector's own, in a
/// read-only transaction so a lookup cannot change what it reads.
/// </summary>
public sealed class MariaDbLookup(string connectionString) : IWarehouseLookup
{
    private const int ServerShutdown = 1053;
    private const int ConnectionKilled = 1927;
    private readonly string _connectionString = new MySqlConnectionStringBuilder(connectionString) { TreatTinyAsBoolean = false }.ConnectionString;

    public Task<IReadOnlyList<LookupRow>> QueryAsync(string sql, IReadOnlyList<LookupParameter> parameters, TimeSpan timeout, CancellationToken ct) =>
        LookupRetries.RunAsync(async () =>
        {
            try
            {
                await using var connection = new MySqlConnection(_connectionString);
                await connection.OpenAsync(ct);
                await using (var bound = new MySqlCommand(MariaDbSession.TimeBox(connection.ServerVersion, timeout), connection))
                {
                    await bound.ExecuteNonQueryAsync(ct);
                }

                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, isReadOnly: true, ct);
                await using var command = new MySqlCommand(sql, connection, transaction);
                foreach (var parameter in parameters)
                {
                    command.Parameters.AddWithValue("@" + parameter.Name, parameter.Value);
                }

                var rows = new List<LookupRow>();
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        rows.Add(new LookupRow(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i))));
                    }
                }

                await transaction.CommitAsync(ct);
                return (IReadOnlyList<LookupRow>)rows;
            }
            catch (MySqlException e) when (!IsLost(e))
            {
                throw WarehouseRefusal.Database(e.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, e);
            }
        }, e => e is MySqlException m ? IsLost(m) : e is IOException or System.Net.Sockets.SocketException, "MariaDB", ct);

    private static bool IsLost(MySqlException e) =>
        e.IsTransient || e.ErrorCode is MySqlErrorCode.UnableToConnectToHost || e.Number is ServerShutdown or ConnectionKilled
        || (e.SqlState is null && e.InnerException is IOException or System.Net.Sockets.SocketException);
}
