using ContextPush.Contracts;

namespace ContextPush.CardActions;

/// <summary>
/// What a signed action link (Teams, email) carries: the card's delta, the action, who it was sent
/// to, and until when it is valid. Issued by Dispatcher, honoured by Callbacks.
/// </summary>
public sealed record ActionLink(
    CardButtonValue Card,
    CardAction Action,
    int? SnoozeDays,
    string Actor,
    string Channel,
    DateTimeOffset ExpiresAt);
