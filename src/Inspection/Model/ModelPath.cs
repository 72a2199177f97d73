namespace Analytics.Inspection.Model;

/// <summary>Finds the learned model file the way the sidecar and the offline <c>inspect</c> command both do.</summary>
internal static class ModelPath
{
    /// <summary>Absolute, or relative to the content root, or to the application directory (where the build copies models/).</summary>
    public static string? Resolve(string path, string contentRoot)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }

        foreach (var root in (ReadOnlySpan<string>)[contentRoot, AppContext.BaseDirectory])
        {
            var candidate = Path.Combine(root, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
