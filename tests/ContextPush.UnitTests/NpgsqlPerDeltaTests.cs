using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ContextPush.UnitTests;

/// <summary>Per-delta databases skip the pool's reset and prepare their statements, unless the connection string says otherwise.</summary>
public class NpgsqlPerDeltaTests
{
    [Fact]
    public void A_plain_connection_string_gets_no_reset_and_prepared_statements()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=127.0.0.1;Database=throttlerdb");

        NpgsqlPerDelta.Configure(builder);

        Assert.True(builder.ConnectionStringBuilder.NoResetOnClose);
        Assert.Equal(64, builder.ConnectionStringBuilder.MaxAutoPrepare);
        Assert.Equal(NpgsqlPerDelta.MaxPoolSize, builder.ConnectionStringBuilder.MaxPoolSize);
    }

    [Fact]
    public void What_the_connection_string_says_wins()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=127.0.0.1;Database=throttlerdb;Max Auto Prepare=0;No Reset On Close=false;Maximum Pool Size=100");

        NpgsqlPerDelta.Configure(builder);

        Assert.False(builder.ConnectionStringBuilder.NoResetOnClose);
        Assert.Equal(0, builder.ConnectionStringBuilder.MaxAutoPrepare);
        Assert.Equal(100, builder.ConnectionStringBuilder.MaxPoolSize);
    }
}
