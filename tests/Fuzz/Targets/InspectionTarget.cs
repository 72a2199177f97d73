using System.Text;
using Microsoft.AspNetCore.Http;

namespace Analytics.Fuzz.Targets;

/// <summary>
/// The injection detectors over an arbitrary request, written as text: a request line
/// (<c>METHOD /target</c>), header lines, an empty line, then the body.
/// </summary>
internal sealed class InspectionTarget : IFuzzTarget
{
    public string Name => "inspection";

    public void Run(ReadOnlySpan<byte> data)
    {
        var headEnd = data.IndexOf("\n\n"u8);
        var head = Encoding.Latin1.GetString(headEnd < 0 ? data : data[..headEnd]);
        var body = headEnd < 0 ? [] : data[(headEnd + 2)..].ToArray();
        var lines = head.Split('\n');
        var requestLine = lines[0].TrimEnd('\r');
        var space = requestLine.IndexOf(' ', StringComparison.Ordinal);
        var method = space <= 0 ? "GET" : requestLine[..space];
        var target = space < 0 ? requestLine : requestLine[(space + 1)..];
        if (!target.StartsWith('/'))
        {
            // Kestrel only hands origin-form targets (or a path it made itself) to the pipeline.
            target = "/" + target;
        }

        var headers = new HeaderDictionary();
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var name = line[..colon];
                headers.Append(name, line[(colon + 1)..].Trim(' ', '\t', '\r'));
            }
        }

        InspectionHarness.Inspect(InspectionHarness.Request(method, target, headers, body));
    }
}
