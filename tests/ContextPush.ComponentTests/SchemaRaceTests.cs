using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ContextPush.ComponentTests;

/// <summary>Replicas starting together each create their tables: they take turns, and none fails to start.</summary>
public class SchemaRaceTests(ServersFixture fixture)
{
    [Fact]
    public async Task Four_replicas_creating_the_same_tables_at_once_all_succeed_round_after_round()
    {
        var ct = TestContext.Current.CancellationToken;
        var (prefix, _) = fixture.NextIsolation("schema");
        await using var database = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync($"{prefix}_schema", ct));

        for (var round = 0; round < 20; round++)
        {
            // Without turns, two sessions both find the table missing and one fails on pg_type's unique index.
            var ddl = $"""
                CREATE TABLE IF NOT EXISTS deliveries_{round} (delta_id uuid PRIMARY KEY, status text NOT NULL);
                CREATE INDEX IF NOT EXISTS deliveries_{round}_status ON deliveries_{round} (status);
                ALTER TABLE deliveries_{round} ADD COLUMN IF NOT EXISTS claim_token uuid;
                """;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => database.ApplySchemaAsync(ddl, ct), ct)));
        }

        await using var count = database.CreateCommand("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'deliveries_%'");
        Assert.Equal(20L, await count.ExecuteScalarAsync(ct));
    }
}
