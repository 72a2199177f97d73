namespace Analytics.Search.Tests;

/// <summary>Finds files of the repository (deploy/) and of the shared folder beside it (../shared).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>../shared relative to the repository root, where the corpora live.</summary>
    public static string Shared(params string[] parts) => System.IO.Path.GetFullPath(System.IO.Path.Combine([Root, "..", "shared", .. parts]));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Analytics.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
    }
}
