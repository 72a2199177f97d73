namespace Analytics.Messaging;

/// <summary>Why a decision was refused: the <c>reason</c> tag of the rejection metric and the dead-letter error.</summary>
public static class DecisionRejections
{
    public const string Malformed = "malformed";
    public const string KeyMismatch = "key_mismatch";
    public const string NoExpiry = "no_expiry";
    public const string TtlTooLong = "ttl_too_long";
    public const string FromTheFuture = "created_in_future";
    public const string RangeTooWide = "range_too_wide";
    public const string TooMany = "too_many";
    public const string NotSigned = "unsigned";
    public const string BadSignature = "bad_signature";
    public const string InvalidValue = "invalid_value";
}
