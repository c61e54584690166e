using System.Globalization;

namespace ContextPush.Warehouses;

/// <summary>
/// How a MariaDB or MySQL session bounds each statement. MariaDB names it <c>max_statement_time</c>
/// (seconds, every statement); MySQL does not know that name and has <c>max_execution_time</c>
/// (milliseconds, SELECT only, which is all a warehouse is sent). A statement past it fails with
/// <see cref="TimedOut"/>'s error numbers.
/// </summary>
public static class MariaDbSession
{
    /// <summary>MariaDB's ER_STATEMENT_TIMEOUT and MySQL's ER_QUERY_TIMEOUT.</summary>
    public static readonly int[] TimedOut = [1969, 3024];

    /// <summary>The SET for the server whose version MySqlConnector reports (MariaDB says so in it: "10.11.6-MariaDB-0+deb12u1").</summary>
    public static string TimeBox(string serverVersion, TimeSpan timeout) =>
        serverVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
            ? string.Create(CultureInfo.InvariantCulture, $"SET SESSION max_statement_time = {Math.Max(0.001, timeout.TotalSeconds):0.###}")
            : string.Create(CultureInfo.InvariantCulture, $"SET SESSION max_execution_time = {Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds))}");
}
