using ContextPush.AppHost.Servers;

namespace ContextPush.ComponentTests.Assembler;

/// <summary>
/// The card's context from the warehouse of each engine the Detector reads (PostgreSQL, a real MariaDB,
/// and the Snowflake and BigQuery fakes, which run the statements on PostgreSQL): the same account, owner
/// and newest tickets from the same rows, the key always bound as a parameter, and a refused or missing
/// warehouse leaving the card without that part, in the warehouse's own words.
/// </summary>
public sealed class WarehouseContextTests(ServersFixture fixture, MariaDbFixture mariaDb) : IClassFixture<MariaDbFixture>
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("mariadb")]
    [InlineData("snowflake")]
    [InlineData("bigquery")]
    public async Task The_owner_and_the_three_newest_tickets_come_from_a_warehouse_of_each_engine(string engine)
    {
        await using var warehouse = await ContextWarehouse.StartAsync(fixture, mariaDb, engine);
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "ctx" + engine, warehouse.ConnectionString, engine);

        var context = await bed.AssembleAsync(AssemblerTestBed.Delta("7"));

        Assert.Empty(context.Missing);
        Assert.Equal("Acme Corp", context.AccountName);
        Assert.Equal(new("Ann Lee", "ann@example.com", "U0ANN"), context.Owner);
        Assert.Equal("https://acme.my.salesforce.com/001ACME", Assert.Single(context.Links, l => l.Label == "Open in Salesforce").Url);
        Assert.Equal(
            [("SSO broken", "urgent", "open", At(2026, 11, 20, 8, 30)), ("Export times out", "high", "pending", At(2026, 11, 18, 14, 0)),
             ("New seats", "normal", "new", At(2026, 11, 10, 10, 15))],
            context.Tickets.Select(t => (t.Subject, t.Priority, t.Status, t.CreatedAt.ToUniversalTime())));
    }

    [Fact]
    public async Task Snowflake_gets_the_key_and_the_limit_as_bind_variables_not_as_text_in_the_statement()
    {
        await using var warehouse = await ContextWarehouse.StartAsync(fixture, mariaDb, "snowflake");
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "ctxbind", warehouse.ConnectionString, "snowflake");

        await bed.AssembleAsync(AssemblerTestBed.Delta("7"));

        var statements = warehouse.Snowflake!.Submitted.ToList();
        Assert.All(statements, s => Assert.DoesNotContain("7", s, StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains("a.id = CAST(? AS BIGINT)", StringComparison.Ordinal));
        Assert.Contains("""{"1":{"type":"TEXT","value":"7"},"2":{"type":"FIXED","value":"3"}}""", warehouse.Snowflake.Bindings);
    }

    [Theory]
    [InlineData("postgres", "42P01: relation \"crm_owners\" does not exist")]
    [InlineData("mariadb", "1146: Table")]
    [InlineData("snowflake", "Object 'CRM_OWNERS' does not exist or not authorized.")]
    [InlineData("bigquery", "Not found: Table acme-analytics:crm_owners was not found")]
    public async Task A_lookup_the_warehouse_refuses_leaves_the_owner_out_in_its_words_and_the_tickets_still_come(string engine, string words)
    {
        await using var warehouse = await ContextWarehouse.StartAsync(fixture, mariaDb, engine);
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "ctxno" + engine, warehouse.ConnectionString, engine);

        var context = await bed.AssembleAsync(AssemblerTestBed.Delta("7", ("owner_sql", "SELECT name AS owner_name FROM crm_owners WHERE id = @key")));

        Assert.Null(context.Owner);
        var missing = Assert.Single(context.Missing);
        Assert.StartsWith("owner: the warehouse refused the query (", missing, StringComparison.Ordinal);
        Assert.Contains(words, missing, StringComparison.Ordinal);
        Assert.Equal(3, context.Tickets.Count);
        Assert.Contains(("crm-push", "warehouse", "refused"), bed.Degraded);
    }

    [Fact]
    public async Task A_MariaDB_warehouse_that_cannot_be_reached_is_tried_again_then_left_out()
    {
        var closed = $"Server=127.0.0.1;Port={FreePort.Next()};User ID=nobody;Connection Timeout=2";
        await using var bed = await AssemblerTestBed.StartAsync(fixture, "ctxgone", closed, "mariadb");

        var context = await bed.AssembleAsync(AssemblerTestBed.Delta("7"));

        Assert.Null(context.Owner);
        Assert.Equal(["owner: the warehouse could not be reached", "tickets: the warehouse could not be reached"], context.Missing.Order());
        Assert.Contains(("crm-push", "warehouse", "unavailable"), bed.Degraded);
    }

    [Fact]
    public async Task An_engine_the_Assembler_cannot_read_stops_it_at_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AssemblerTestBed.StartAsync(fixture, "ctxoracle", "Data Source=x", "oracle"));

        Assert.Equal("Assembler__WarehouseEngine is 'oracle'; the engines are postgres, mariadb (also MySQL), snowflake and bigquery", error.Message);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
