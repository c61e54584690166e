namespace ContextPush.CardActions;

/// <summary>The <c>action_id</c>s of a Slack card's buttons, which Slack echoes back in <c>block_actions</c>.</summary>
public static class SlackActionIds
{
    public const string Review = "mark_reviewed";

    /// <summary>Followed by the days and a "d": "snooze_7d".</summary>
    public const string SnoozePrefix = "snooze_";

    public const string SnoozeSevenDays = SnoozePrefix + "7d";

    /// <summary>A URL button; Slack wants each action_id of a message unique, so the second and later ones end in "_n".</summary>
    public const string OpenCrm = "open_crm";
}
