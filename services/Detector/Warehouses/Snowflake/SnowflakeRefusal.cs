using System.Net;

namespace ContextPush.Detector.Warehouses.Snowflake;

/// <summary>Snowflake answered for good: a failed or timed-out statement, or a refused token, with its code and its own words.</summary>
public sealed class SnowflakeRefusal(HttpStatusCode status, string code, string message)
    : Exception(code.Length > 0 ? $"{message} (Snowflake {code})" : message)
{
    public HttpStatusCode Status => status;

    public string Code => code;

    public string SnowflakeMessage => message;
}
