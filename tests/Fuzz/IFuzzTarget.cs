namespace Analytics.Fuzz;

/// <summary>
/// One fuzzing harness: feeds arbitrary bytes to one parser. Exceptions the parser documents
/// for bad input are caught inside <see cref="Run"/>; anything that escapes is a crash.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name bench/fuzz.sh and the corpora folder use.</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> data);
}
