using System.Runtime.CompilerServices;
using ContextPush.Detector.Detection;
using ContextPush.PushFiles;
using ContextPush.Warehouses;
using Npgsql;

namespace ContextPush.Detector.Warehouses;

/// <summary>
/// A PostgreSQL warehouse, read in a read-only transaction with the push's statement timeout. Not
/// Redshift, though it speaks the protocol: it lacks the arrays a row's metrics travel in here.
/// </summary>
public sealed class PostgresWarehouse(NpgsqlDataSource source) : IWarehouseConnector
{
    public async IAsyncEnumerable<CohortRow> ReadCohortAsync(PushDefinition push, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(TrackingSql.ReadOnlyWithTimeout(timeout) + "\n" + TrackingSql.CohortRows(push), connection, transaction)
        {
            CommandTimeout = 0,
        };
        await using (var reader = await Cohort.OpenAsync(command, push, timeout, ct))
        {
            while (await Cohort.NextAsync(reader, push, timeout, ct))
            {
                yield return Cohort.Read(reader, push);
            }
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<CohortColumn>> DescribeCohortAsync(string cohortSql, CancellationToken ct)
    {
        try
        {
            return [.. (await CohortCheck.DescribeAsync(source, cohortSql, ct)).Select(c => new CohortColumn(c.Name, c.Type, CohortCheck.IsNumeric(c.Type)))];
        }
        catch (PostgresException e) when (!PushRunner.IsTransient(e))
        {
            throw new CohortQueryException(e.MessageText + (e.Position > 0 ? $" (at character {e.Position} of the query)" : ""), e);
        }
        catch (NpgsqlException e)
        {
            throw new WarehouseUnavailableException(e.Message, e);
        }
    }

    /// <summary>The steps that may throw, outside the iterator: C# allows no catch around a yield.</summary>
    private static class Cohort
    {
        public static async Task<NpgsqlDataReader> OpenAsync(NpgsqlCommand command, PushDefinition push, TimeSpan timeout, CancellationToken ct)
        {
            try
            {
                var reader = await command.ExecuteReaderAsync(ct);
                // The batch's first results are the SET commands'.
                while (reader.FieldCount == 0 && await reader.NextResultAsync(ct))
                {
                }

                return reader;
            }
            catch (PostgresException e) when (!PushRunner.IsTransient(e))
            {
                throw PushRunFailedException.From(push.Id, timeout, e);
            }
        }

        public static async Task<bool> NextAsync(NpgsqlDataReader reader, PushDefinition push, TimeSpan timeout, CancellationToken ct)
        {
            try
            {
                return await reader.ReadAsync(ct);
            }
            catch (PostgresException e) when (!PushRunner.IsTransient(e))
            {
                throw PushRunFailedException.From(push.Id, timeout, e);
            }
        }

        public static CohortRow Read(NpgsqlDataReader reader, PushDefinition push)
        {
            var key = reader.GetString(0);
            try
            {
                return new CohortRow(key, reader.GetFieldValue<decimal?[]>(1));
            }
            catch (Exception e) when (e is InvalidCastException or OverflowException)
            {
                throw new PushRunFailedException(
                    $"push {push.Id}: a metric of row '{key}' cannot be read as a number ({e.Message}); metrics must be numbers within ±7.9e28", e);
            }
        }
    }
}
