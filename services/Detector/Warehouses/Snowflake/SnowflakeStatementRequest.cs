using System.Text.Json.Serialization;

namespace ContextPush.Detector.Warehouses.Snowflake;

/// <summary>The body of POST /api/v2/statements. <c>timeout</c> is in seconds; Snowflake cancels the statement after it.</summary>
public sealed record SnowflakeStatementRequest(
    [property: JsonPropertyName("statement")] string Statement,
    [property: JsonPropertyName("timeout")] int Timeout,
    [property: JsonPropertyName("database"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Database,
    [property: JsonPropertyName("schema"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Schema,
    [property: JsonPropertyName("warehouse"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warehouse,
    [property: JsonPropertyName("role"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    // One statement only: a cohort cannot smuggle a second, writing one behind a semicolon.
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string> Parameters);
