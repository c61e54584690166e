using System.Net;

namespace ContextPush.Warehouses;

/// <summary>
/// A warehouse answered for good (the query is wrong, not allowed or too slow; the sign-in refused), in
/// its own words and with its own code (Snowflake's error code, BigQuery's reason, PostgreSQL's
/// SQLSTATE, MariaDB's error number): trying again would not help.
/// </summary>
public sealed class WarehouseRefusal : Exception
{
    private WarehouseRefusal(string message, string code, HttpStatusCode? status, Exception? inner) : base(message, inner)
    {
        Code = code;
        Status = status;
    }

    public string Code { get; }

    /// <summary>The HTTP status of a REST warehouse's answer.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>A REST warehouse's answer: "message (Snowflake 002003)".</summary>
    public static WarehouseRefusal Answered(string engine, HttpStatusCode status, string code, string message) =>
        new(code.Length > 0 ? $"{message} ({engine} {code})" : message, code, status, null);

    /// <summary>A database warehouse's error: "42P01: relation … does not exist".</summary>
    public static WarehouseRefusal Database(string code, string message, Exception inner) => new($"{code}: {message}", code, null, inner);
}
