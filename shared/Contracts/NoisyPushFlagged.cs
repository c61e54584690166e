namespace ContextPush.Contracts;

/// <summary>
/// Published by Callbacks when a push's acted-on rate has stayed below the threshold (20% of at least
/// 30 cards over 14 days, by default): people mostly ignore what it sends. Nothing changes by itself;
/// an analyst reads the numbers and the suggestion and edits the push file. Consumed by nobody yet; the weekly adoption card shows the flag too.
/// </summary>
public sealed record NoisyPushFlagged
{
    /// <summary>The push (its file's id).</summary>
    public required string PushId { get; init; }

    /// <summary>Acted on, of the cards acted on or ignored in the period.</summary>
    public required double ActedOnRate { get; init; }

    /// <summary>The cards acted on or ignored in the period.</summary>
    public required long Cards { get; init; }

    /// <summary>The start of the period.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>A priority threshold that would have kept every card acted on and dropped most of the rest; absent when the cards carry no z-scores.</summary>
    public double? SuggestedThreshold { get; init; }

    /// <summary>Or a metric's tolerance that would have; absent when no tolerance separates them or the cards carry no moves.</summary>
    public ToleranceSuggestion? SuggestedTolerance { get; init; }

    /// <summary>The flag and the suggestion in words, as the page and the log show them.</summary>
    public required string Explanation { get; init; }

    /// <summary>When Callbacks flagged it.</summary>
    public required DateTimeOffset FlaggedAt { get; init; }
}
