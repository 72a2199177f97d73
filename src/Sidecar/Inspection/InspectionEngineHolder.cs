using Analytics.Inspection;
using Analytics.Inspection.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Inspection;

/// <summary>The engine with the model loaded once at start-up, shared by every request.</summary>
internal sealed class InspectionEngineHolder
{
    public InspectionEngineHolder(IOptions<InspectionOptions> options, Microsoft.Extensions.Hosting.IHostEnvironment environment, ILogger<InspectionEngineHolder> logger)
    {
        var o = options.Value;
        LearnedScorer? model = null;
        if (!string.IsNullOrWhiteSpace(o.ModelPath))
        {
            var path = ModelPath.Resolve(o.ModelPath, environment.ContentRootPath);
            if (path is null)
            {
                InspectionLog.ModelMissing(logger, o.ModelPath);
            }
            else
            {
                var card = ModelCard.TryRead(path);
                model = LearnedScorer.Load(path, o.ModelThreshold ?? card?.Threshold ?? 0.5);
                InspectionLog.ModelLoaded(logger, path, o.ModelThreshold ?? model.Threshold);
            }
        }

        Engine = new InspectionEngine(o, model);
    }

    public InspectionEngine Engine { get; }
}
