using System.Text.Json;
using Analytics.Messaging;

namespace Analytics.Fuzz.Targets;

/// <summary>
/// The stream message deserializers. The first byte picks the stream; a message that
/// deserializes must serialize again and read back. JsonException and NotSupportedException
/// are what the consumers dead-letter, so they are expected; anything else is a crash.
/// </summary>
internal sealed class MessagesTarget : IFuzzTarget
{
    public string Name => "messages";

    public void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var body = data[1..];
        switch (data[0] % 3)
        {
            case 0:
                RoundTrip(body, Streams.Requests);
                break;
            case 1:
                RoundTrip(body, Streams.Decisions);
                break;
            default:
                RoundTrip(body, Streams.Alerts);
                break;
        }
    }

    private static void RoundTrip<T>(ReadOnlySpan<byte> body, StreamDescriptor<T> stream) where T : class
    {
        T message;
        try
        {
            message = MessageSchema.Deserialize(body, stream);
        }
        catch (JsonException)
        {
            return;
        }
        catch (NotSupportedException)
        {
            return;
        }

        _ = MessageSchema.Deserialize(MessageSchema.Serialize(message, stream), stream);
    }
}
