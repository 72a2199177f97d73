using System.Net;

namespace Analytics.Sidecar.Tests.Infrastructure;

/// <summary>A JSON body that sends a few bytes, then waits for the test to let it finish: keeps a request in progress.</summary>
internal sealed class HeldContent(Task release) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync("{\"a\":"u8.ToArray());
        await stream.FlushAsync();
        await release;
        await stream.WriteAsync("1}"u8.ToArray());
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
