using System.Text.Json.Serialization;

namespace ContextPush.Warehouses.Snowflake;

/// <summary>The body of POST /api/v2/statements. <c>timeout</c> is in seconds; Snowflake cancels the statement after it.</summary>
public sealed record SnowflakeStatementRequest(
    [property: JsonPropertyName("statement")] string Statement,
    [property: JsonPropertyName("timeout")] int Timeout,
    [property: JsonPropertyName("database"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Database,
    [property: JsonPropertyName("schema"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Schema,
    [property: JsonPropertyName("warehouse"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warehouse,
    [property: JsonPropertyName("role"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    // One statement only: a cohort cannot smuggle a second, writing one behind a semicolon.
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string> Parameters,
    // The values of the statement's ? placeholders, by position from "1": {"type": "TEXT", "value": "…"}.
    [property: JsonPropertyName("bindings"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, SnowflakeBinding>? Bindings = null);

/// <summary>One bind variable: its Snowflake type (TEXT, FIXED…) and its value as text.</summary>
public sealed record SnowflakeBinding(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string? Value);
