namespace Analytics.Detection.Model;

/// <summary>
/// The model in use, swapped atomically: the pipeline reads <see cref="Current"/> once per
/// event, so a swap never drops or half-scores an event. Watches the file when asked.
/// </summary>
internal sealed class ModelHolder : IDisposable
{
    private volatile AnomalyModel? _current;
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    public ModelHolder(AnomalyModel? initial) => _current = initial;

    public AnomalyModel? Current => _current;

    public string? Path { get; private set; }

    /// <summary>Swaps that happened since start.</summary>
    public int Swaps { get; private set; }

    public event Action<AnomalyModel>? Swapped;

    public event Action<Exception>? LoadFailed;

    public static ModelHolder FromFile(string path) => new(AnomalyModel.Load(path)) { Path = path };

    /// <summary>Finds a model path: as given, relative to the working directory, then to the app directory.</summary>
    public static string? Resolve(string path)
    {
        if (File.Exists(path))
        {
            return System.IO.Path.GetFullPath(path);
        }

        var beside = System.IO.Path.Combine(AppContext.BaseDirectory, path);
        if (File.Exists(beside))
        {
            return beside;
        }

        // Running from src/Analyzer (dotnet run): look up for the repository's models/ folder.
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        return null;
    }

    public void Swap(AnomalyModel model)
    {
        _current = model;
        Swaps++;
        Swapped?.Invoke(model);
    }

    /// <summary>Reloads from <see cref="Path"/>; keeps the current model when the new file cannot be loaded.</summary>
    public bool Reload()
    {
        if (Path is null)
        {
            return false;
        }

        try
        {
            Swap(AnomalyModel.Load(Path));
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            LoadFailed?.Invoke(ex);
            return false;
        }
    }

    /// <summary>Reloads when the model or its card changes; writes are debounced so a half-written file is not read.</summary>
    public void Watch(string path)
    {
        Path = path;
        if (!Directory.Exists(System.IO.Path.GetDirectoryName(path)))
        {
            return;
        }

        var dir = System.IO.Path.GetDirectoryName(path)!;
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        _debounce = new Timer(_ => Reload());
        _watcher = new FileSystemWatcher(dir, name + ".*")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
            EnableRaisingEvents = true,
        };
        FileSystemEventHandler changed = (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
        _watcher.Changed += changed;
        _watcher.Created += changed;
        _watcher.Renamed += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }
}
