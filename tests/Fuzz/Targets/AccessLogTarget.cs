using System.Text;
using Analytics.Detection.Ingest;

namespace Analytics.Fuzz.Targets;

/// <summary>The analyzer's input file reader: RequestEvent lines, access-log JSON or the combined log format, recognised from the first line.</summary>
internal sealed class AccessLogTarget : IFuzzTarget
{
    public string Name => "accesslog";

    public void Run(ReadOnlySpan<byte> data)
    {
        var reader = new EventFileReader();
        foreach (var e in reader.Read(new StringReader(Encoding.UTF8.GetString(data))))
        {
            _ = e;
        }
    }
}
