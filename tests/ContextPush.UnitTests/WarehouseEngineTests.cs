using ContextPush.Detector.Detection;
using ContextPush.Detector.State;
using ContextPush.Warehouses;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContextPush.UnitTests;

/// <summary>Which connector a named warehouse gets, and what a wrong engine setting says.</summary>
public class WarehouseEngineTests
{
    [Theory]
    [InlineData(null, WarehouseEngine.Postgres)]
    [InlineData("postgres", WarehouseEngine.Postgres)]
    [InlineData("PostgreSQL", WarehouseEngine.Postgres)]
    [InlineData("mariadb", WarehouseEngine.MariaDb)]
    [InlineData("MySQL", WarehouseEngine.MariaDb)]
    public void The_engine_setting_picks_the_connector(string? engine, WarehouseEngine expected)
    {
        Assert.Equal(expected, Sources(engine).EngineOf("shop"));
    }

    [Fact]
    public void An_unknown_engine_is_refused_naming_the_setting_and_the_engines_there_are()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Sources("oracle").EngineOf("shop"));

        Assert.Equal("Detector__Warehouses__shop__Engine is 'oracle'; the engines are postgres, mariadb (also MySQL), snowflake and bigquery", error.Message);
    }

    [Fact]
    public void Redshift_is_refused_with_the_reason_rather_than_failing_on_its_first_run()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Sources("redshift").EngineOf("shop"));

        Assert.Contains("'redshift', which is not supported yet: Redshift has no array types", error.Message);
    }

    [Fact]
    public void A_MariaDB_warehouse_without_a_connection_string_says_which_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Sources("mariadb", connectionString: null).Connector("shop"));

        Assert.Equal("the warehouse connection 'shop' is not configured; set ConnectionStrings__shop", error.Message);
    }

    private static WarehouseSources Sources(string? engine, string? connectionString = "Server=127.0.0.1;Database=shop")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Detector:Warehouses:shop:Engine"] = engine,
            ["ConnectionStrings:shop"] = connectionString,
        }).Build();
        var unused = NpgsqlDataSource.Create("Host=127.0.0.1");
        return new WarehouseSources(unused, new DetectorState(unused), configuration, NullLogger<WarehouseSources>.Instance);
    }
}
