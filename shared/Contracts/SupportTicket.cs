namespace ContextPush.Contracts;

/// <summary>A recent help-desk ticket of the account. Part of <see cref="ContextAssembled"/>.</summary>
public sealed record SupportTicket(string Subject, string Priority, string Status, DateTimeOffset CreatedAt);
