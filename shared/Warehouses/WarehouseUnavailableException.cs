namespace ContextPush.Warehouses;

/// <summary>A warehouse that could not be reached or dropped the connection: the run tries again, like a lost PostgreSQL connection.</summary>
public sealed class WarehouseUnavailableException(string message, Exception? inner) : Exception(message, inner);
