using Analytics.Sidecar.Catalog;
using CsCheck;

namespace Analytics.Sidecar.Tests.Catalog;

/// <summary>
/// Templating is linear in the length of the path. Work is measured as the bytes the call
/// allocates (deterministic on one thread, unlike time): a path four times as long may cost at
/// most about four times as much. Storing or hashing every prefix of the path is quadratic and
/// shows up here as a ratio near sixteen.
/// </summary>
public sealed class PathTemplaterProperties
{
    private static readonly Gen<string> Word = Gen.Char['a', 'z'].Array[1, 6].Select(c => new string(c));

    // A repeated unit of word segments, e.g. a/a/a/... (the shape of `a%2F` repeated, once decoded).
    private static readonly Gen<(string[] Unit, int Repeats)> Shape = Gen.Select(Word.Array[1, 4], Gen.Int[24, 48]);

    [Fact]
    public void Work_grows_linearly_with_path_length() =>
        Shape.Sample((unit, repeats) =>
        {
            var shortPath = Path(unit, repeats);
            var longPath = Path(unit, repeats * 4);
            var shortWork = Work(shortPath);
            var longWork = Work(longPath);
            // Linear work a + b·n gives at most 4x for 4x the length; 6x leaves room for buffer rounding.
            Assert.True(longWork <= 6 * shortWork,
                $"{longPath.Length} chars cost {longWork} bytes, {shortPath.Length} chars {shortWork} bytes: {(double)longWork / shortWork:F1}x for 4x the length");
        }, iter: 40, threads: 1);

    private static string Path(string[] unit, int repeats) => "/api/items/" + string.Join('/', Enumerable.Repeat(string.Join('/', unit), repeats));

    private static long Work(string path)
    {
        _ = new PathTemplater().Template(path); // warm: JIT, pooled buffers of this size
        var templater = new PathTemplater();
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = templater.Template(path);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
