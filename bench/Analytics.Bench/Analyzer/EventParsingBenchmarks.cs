using System.Text;
using System.Text.Json;
using Analytics.Traffic;
using Analytics.Messaging;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Analyzer;

/// <summary>
/// One labelled RequestEvent line (the generator's mixed traffic) into a RequestEvent, per line:
/// the contract's source-generated deserializer from a string (what <c>evaluate</c> did), the same
/// from UTF-8 bytes, and the one-pass <see cref="RequestEventReader"/> (what it does now).
/// </summary>
[MemoryDiagnoser]
public class EventParsingBenchmarks
{
    private const int Lines = 10_000;
    private string[] _text = [];
    private byte[][] _utf8 = [];

    [GlobalSetup]
    public void Setup()
    {
        _text = [.. TrafficGenerator.Generate(new TrafficOptions { Seed = 3, BrowsingUsers = 300 }).Take(Lines).Select(TrafficGenerator.ToJsonLine)];
        _utf8 = [.. _text.Select(Encoding.UTF8.GetBytes)];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public int SourceGeneratedFromString()
    {
        var n = 0;
        foreach (var line in _text)
        {
            n += JsonSerializer.Deserialize(line, MessagesJsonContext.Default.RequestEvent)!.Status;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int SourceGeneratedFromUtf8()
    {
        var n = 0;
        foreach (var line in _utf8)
        {
            n += JsonSerializer.Deserialize(line, MessagesJsonContext.Default.RequestEvent)!.Status;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int OnePassReader()
    {
        var n = 0;
        foreach (var line in _utf8)
        {
            RequestEventReader.TryRead(line, out var e, out _, out _, out _);
            n += e!.Status;
        }

        return n;
    }
}
