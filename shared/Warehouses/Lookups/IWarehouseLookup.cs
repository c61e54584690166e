namespace ContextPush.Warehouses.Lookups;

/// <summary>
/// A small parameterised query on a warehouse, such as the account's owner or its newest tickets: the
/// SQL names its parameters as <c>@name</c> on every engine. It reads only, and the warehouse stops it
/// after <c>timeout</c>. A query the warehouse
/// refuses throws a <see cref="WarehouseRefusal"/> in the engine's words; a warehouse that cannot be
/// reached, after a few tries, a <see cref="WarehouseUnavailableException"/>.
/// </summary>
public interface IWarehouseLookup
{
    Task<IReadOnlyList<LookupRow>> QueryAsync(string sql, IReadOnlyList<LookupParameter> parameters, TimeSpan timeout, CancellationToken ct);
}

/// <summary>A parameter's name (without the @) and its value: text, a whole number or a point in time (UTC).</summary>
public sealed record LookupParameter(string Name, object Value);
