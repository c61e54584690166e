using System.Net;

namespace ContextPush.Detector.Warehouses.BigQuery;

/// <summary>BigQuery (or Google's token endpoint) answered for good, with the error's reason and its own words.</summary>
public sealed class BigQueryRefusal(HttpStatusCode status, string reason, string message)
    : Exception(reason.Length > 0 ? $"{message} (BigQuery {reason})" : message)
{
    public HttpStatusCode Status => status;

    public string Reason => reason;
}
