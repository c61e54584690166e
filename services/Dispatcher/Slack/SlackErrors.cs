namespace ContextPush.Dispatcher.Slack;

/// <summary>Which of Slack's error codes (https://api.slack.com/methods/chat.postMessage#errors) retrying cannot fix.</summary>
public static class SlackErrors
{
    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive",
        "token_revoked", "token_expired", "no_permission", "missing_scope", "restricted_action", "user_not_found",
        "msg_too_long", "invalid_blocks", "invalid_blocks_format", "too_many_attachments", "no_text", "message_not_found",
        "cant_update_message", "edit_window_closed", "invalid_arguments", "invalid_arg_name", "ekm_access_denied",
    };

    public static bool IsPermanent(string error) => Permanent.Contains(error);

    /// <summary>Throws the exception that routes the error: rejected (recorded, not retried) or transient (retried).</summary>
    public static Exception ToException(string method, string? destination, string? error)
    {
        var code = error ?? "unknown_error";
        return IsPermanent(code) ? new Delivery.DeliveryRejectedException("slack", destination, code) : new SlackApiException(method, code);
    }
}
