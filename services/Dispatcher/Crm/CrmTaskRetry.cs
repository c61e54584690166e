using ContextPush.Contracts;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// How a CRM task waiting for its next attempt is kept in <c>redeliveries</c>: the approval itself, under
/// its own type, so the sweeper sends it back to the CRM task queue and not to the card's.
/// </summary>
public sealed record CrmTaskRetry(DeliveryApproved Approved);
