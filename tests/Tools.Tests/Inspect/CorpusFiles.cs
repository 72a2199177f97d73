using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Analytics.Tools.Tests.Inspect;

/// <summary>Writes a gzipped corpus file of labelled payloads in the shape of ../shared/corpora, each placed in <c>?q=</c>.</summary>
internal static class CorpusFiles
{
    public static void Write(string path, string idPrefix, params (string Label, string? Class, string Payload)[] rows)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false));
        var i = 0;
        foreach (var (label, cls, payload) in rows)
        {
            var c = cls is null ? "null" : $"\"{cls}\"";
            writer.WriteLine($"{{\"id\":\"{idPrefix}:{i++}\",\"source\":\"test\",\"method\":\"GET\",\"uri\":\"/search?q=x\",\"headers\":{{}},\"body\":null,\"label\":\"{label}\",\"attack_class\":{c},\"expect\":{{\"payload\":{JsonSerializer.Serialize(payload)},\"placement\":\"query:q\"}}}}");
        }
    }
}
