namespace ContextPush.Contracts;

/// <summary>The person who should act on a delta. Part of <see cref="ContextAssembled"/>.</summary>
public sealed record AccountOwner(string Name, string? Email, string? SlackUserId);
