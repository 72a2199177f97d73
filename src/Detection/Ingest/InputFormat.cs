namespace Analytics.Detection.Ingest;

/// <summary>Formats the analyzer reads from files.</summary>
internal enum InputFormat
{
    /// <summary>RequestEvent JSON lines (optionally with <c>label</c>/<c>attack_class</c>).</summary>
    RequestEvents,
    /// <summary>nginx/Apache access logs as JSON lines (remote_addr, request, status, ...).</summary>
    AccessLogJson,
    /// <summary>nginx/Apache combined log format.</summary>
    Combined,
}

/// <summary>One event read from a file, with its label (and the generator's actor name) when the file carries one.</summary>
internal readonly record struct InputEvent(Messaging.RequestEvent Event, string? Label, string? AttackClass, string? Actor = null);
