using Npgsql;

namespace ContextPush.Warehouses.Lookups;

/// <summary>A lookup on a PostgreSQL warehouse, with its @name parameters as Npgsql's own.</summary>
public sealed class PostgresLookup(NpgsqlDataSource warehouse) : IWarehouseLookup
{
    public Task<IReadOnlyList<LookupRow>> QueryAsync(string sql, IReadOnlyList<LookupParameter> parameters, TimeSpan timeout, CancellationToken ct) =>
        LookupRetries.RunAsync(async () =>
        {
            try
            {
                await using var command = warehouse.CreateCommand(sql);
                command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
                foreach (var parameter in parameters)
                {
                    command.Parameters.AddWithValue(parameter.Name, parameter.Value);
                }

                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<LookupRow>();
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(new LookupRow(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i))));
                }

                return (IReadOnlyList<LookupRow>)rows;
            }
            catch (PostgresException e) when (!e.IsTransient)
            {
                throw WarehouseRefusal.Database(e.SqlState, e.MessageText, e);
            }
        }, e => e is NpgsqlException { IsTransient: true }, "PostgreSQL", ct);
}
