using ContextPush.Contracts;

namespace ContextPush.Dispatcher.Crm;

/// <summary>
/// An approval whose push also writes a CRM task, sent by the card's consumer to the CRM task queue
/// (<c>dispatcher-crm-task</c>): pushes without <c>delivery.crm</c> cost the bus nothing more, and the task
/// is retried, postponed (kept in <c>redeliveries</c> under this type), parked and replayed apart from the card.
/// </summary>
public sealed record CrmTaskDue(DeliveryApproved Approved);
