using ContextPush.DemoWarehouse;
using Npgsql;

namespace ContextPush.ComponentTests;

public class DemoWarehouseTests(ServersFixture fixture)
{
    [Fact]
    public async Task The_generator_fills_a_repeatable_realistic_warehouse_with_about_15_percent_in_the_churn_cohort()
    {
        var (prefix, _) = fixture.NextIsolation("demo");
        await using var first = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix + "a", TestContext.Current.CancellationToken));
        await using var second = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix + "b", TestContext.Current.CancellationToken));

        await DemoWarehouseSeeder.SeedAsync(first, 5_000, ct: TestContext.Current.CancellationToken);
        await DemoWarehouseSeeder.SeedAsync(second, 5_000, ct: TestContext.Current.CancellationToken);

        Assert.Equal(5_000L, await ScalarAsync<long>(first, "SELECT count(*) FROM accounts"));
        Assert.Equal(0L, await ScalarAsync<long>(first, "SELECT count(*) FROM accounts WHERE owner_id IS NULL"));
        Assert.Equal(0L, await ScalarAsync<long>(first, "SELECT count(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.account_id = a.id)"));
        Assert.Equal(0L, await ScalarAsync<long>(first, "SELECT count(*) FROM owners WHERE slack_user_id IS NULL OR email NOT LIKE '%@%'"));
        var share = await ScalarAsync<decimal>(first, "SELECT avg((churn_probability > 0.8 OR usage_drop > 0.2)::int) FROM accounts");
        Assert.InRange(share, 0.12m, 0.19m);
        var fingerprint = "SELECT md5(string_agg(id || name || churn_probability || usage_drop, ',' ORDER BY id)) FROM accounts";
        Assert.Equal(await ScalarAsync<string>(first, fingerprint), await ScalarAsync<string>(second, fingerprint));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(1_000_001)]
    public async Task Sizes_outside_10_to_a_million_are_refused(int accounts)
    {
        var (prefix, _) = fixture.NextIsolation("demo");
        await using var warehouse = NpgsqlDataSource.Create(await fixture.Servers.CreateDatabaseAsync(prefix, TestContext.Current.CancellationToken));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DemoWarehouseSeeder.SeedAsync(warehouse, accounts, ct: TestContext.Current.CancellationToken));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
