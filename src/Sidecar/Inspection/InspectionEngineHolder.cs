using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Inspection;

/// <summary>The engine with the model loaded once at start-up, shared by every request.</summary>
internal sealed class InspectionEngineHolder
{
    public InspectionEngineHolder(IOptions<InspectionOptions> options, Microsoft.Extensions.Hosting.IHostEnvironment environment, ILogger<InspectionEngineHolder> logger)
    {
        var o = options.Value;
        Model.LearnedScorer? model = null;
        if (!string.IsNullOrWhiteSpace(o.ModelPath))
        {
            var path = ResolvePath(o.ModelPath, environment.ContentRootPath);
            if (path is null)
            {
                InspectionLog.ModelMissing(logger, o.ModelPath);
            }
            else
            {
                var card = Model.ModelCard.TryRead(path);
                model = Model.LearnedScorer.Load(path, o.ModelThreshold ?? card?.Threshold ?? 0.5);
                InspectionLog.ModelLoaded(logger, path, o.ModelThreshold ?? model.Threshold);
            }
        }

        Engine = new InspectionEngine(o, model);
    }

    public InspectionEngine Engine { get; }

    /// <summary>Absolute, or relative to the content root, or to the application directory (where the build copies models/).</summary>
    internal static string? ResolvePath(string path, string contentRoot)
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
