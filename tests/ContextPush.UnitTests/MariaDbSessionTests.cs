using ContextPush.Warehouses;

namespace ContextPush.UnitTests;

/// <summary>A MySQL warehouse gets MySQL's statement bound; MariaDB's name for it would fail every run there.</summary>
public class MariaDbSessionTests
{
    [Theory]
    [InlineData("10.11.6-MariaDB-0+deb12u1", 90, "SET SESSION max_statement_time = 90")]
    [InlineData("11.4.2-MariaDB", 1.5, "SET SESSION max_statement_time = 1.5")]
    [InlineData("8.0.36", 90, "SET SESSION max_execution_time = 90000")]
    [InlineData("8.4.0-commercial", 0.25, "SET SESSION max_execution_time = 250")]
    public void Each_server_is_bounded_by_its_own_setting(string serverVersion, double seconds, string expected)
    {
        Assert.Equal(expected, MariaDbSession.TimeBox(serverVersion, TimeSpan.FromSeconds(seconds)));
    }
}
