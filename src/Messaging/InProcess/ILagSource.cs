namespace Analytics.Messaging.InProcess;

/// <summary>An in-process stream as the lag gauge sees it, whatever its message type.</summary>
internal interface ILagSource
{
    string Name { get; }

    (string Group, int Waiting)[] Lag();
}
