namespace Analytics.Fuzz;

/// <summary>Runs saved inputs through a harness once each and reports which ones throw.</summary>
internal static class Replay
{
    public static int Run(IFuzzTarget target, IEnumerable<string> paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).ToList();
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failed++;
                Console.Error.WriteLine($"{file}: {e}");
            }
        }

        Console.WriteLine($"{target.Name}: {files.Count} inputs, {failed} threw");
        return failed == 0 ? 0 : 1;
    }
}
