using Npgsql;

namespace ContextPush.DemoWarehouse;

/// <summary>
/// Creates and fills the demo warehouse (owners, accounts, tickets) with realistic, repeatable data
/// of any size from 10 to 1,000,000 accounts. Used by the AppHost, the tests and the benchmarks.
/// </summary>
public static class DemoWarehouseSeeder
{
    public const int MinAccounts = 10;
    public const int MaxAccounts = 1_000_000;

    public static async Task EnsureSchemaAsync(NpgsqlDataSource warehouse, CancellationToken ct = default)
    {
        await using var command = warehouse.CreateCommand(Sql("schema.sql"));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Replaces the warehouse's contents with <paramref name="accounts"/> generated accounts.</summary>
    public static async Task SeedAsync(NpgsqlDataSource warehouse, int accounts, double seed = 0.42, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, MinAccounts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(accounts, MaxAccounts);
        await EnsureSchemaAsync(warehouse, ct);
        await using var connection = await warehouse.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var truncate = new NpgsqlCommand("TRUNCATE tickets, accounts, owners RESTART IDENTITY CASCADE", connection, transaction))
        {
            await truncate.ExecuteNonQueryAsync(ct);
        }

        await using (var generate = new NpgsqlCommand(Sql("generate.sql"), connection, transaction) { CommandTimeout = 600 })
        {
            generate.Parameters.AddWithValue("seed", seed);
            generate.Parameters.AddWithValue("accounts", accounts);
            generate.Parameters.AddWithValue("owners", Math.Max(3, accounts / 30));
            await generate.ExecuteNonQueryAsync(ct);
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE owners; ANALYZE accounts; ANALYZE tickets", connection, transaction))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    private static string Sql(string name)
    {
        using var stream = typeof(DemoWarehouseSeeder).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded SQL {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
