namespace Analytics.Alerts.Routing;

/// <summary>What a notification tells people.</summary>
internal enum NotificationKind
{
    /// <summary>A new alert (its dedup key was not seen within the window).</summary>
    Alert,

    /// <summary>Repeats of an alert already sent: the count and last seen since.</summary>
    Update,

    /// <summary>A repeat at a higher severity than what was sent: sent again at once.</summary>
    Escalation,

    /// <summary>A burst of alerts of one type in one message.</summary>
    Digest,

    /// <summary>What a channel's hourly cap held back.</summary>
    HeldSummary,
}
