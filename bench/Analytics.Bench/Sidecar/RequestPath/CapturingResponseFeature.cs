using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// The response feature of a benchmark request: keeps the OnStarting and OnCompleted callbacks
/// (the edge's hardening and completion, the body prefix's disposal) so a benchmark can run them
/// as Kestrel would, in reverse order of registration, instead of losing them.
/// </summary>
internal sealed class CapturingResponseFeature : IHttpResponseFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _starting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    public Stream Body { get; set; } = Stream.Null;

    public bool HasStarted => false;

    /// <summary>Callbacks waiting for the response to complete.</summary>
    public int PendingCompletions => _completed.Count;

    public void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

    /// <summary>Runs the OnStarting callbacks, as Kestrel does before the first response byte.</summary>
    public void RunStarting() => Run(_starting);

    /// <summary>Runs the OnCompleted callbacks, as Kestrel does once the response is done.</summary>
    public void RunCompleted() => Run(_completed);

    /// <summary>Drops the callbacks without running them.</summary>
    public void Forget()
    {
        _starting.Clear();
        _completed.Clear();
    }

    private static void Run(List<(Func<object, Task> Callback, object State)> callbacks)
    {
        for (var i = callbacks.Count - 1; i >= 0; i--)
        {
            var (callback, state) = callbacks[i];
            var task = callback(state);
            if (!task.IsCompletedSuccessfully)
            {
                task.GetAwaiter().GetResult();
            }
        }

        callbacks.Clear();
    }
}
