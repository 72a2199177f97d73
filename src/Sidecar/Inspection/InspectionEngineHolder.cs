using Analytics.Inspection;
using Analytics.Inspection.Model;
using Analytics.ServiceDefaults.Hosting;
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
                // A path someone chose and that is not there is a mistake; the shipped default may be left out of a build.
                if (o.ModelPath != new InspectionOptions().ModelPath)
                {
                    throw new StartupFileException(ModelPathSetting, o.ModelPath,
                        "file not found (looked in the content root and beside the application); set it to an inspection model, or empty to run on rules only");
                }

                InspectionLog.ModelMissing(logger, o.ModelPath);
            }
            else
            {
                try
                {
                    var card = ModelCard.TryRead(path);
                    model = LearnedScorer.Load(path, o.ModelThreshold ?? card?.Threshold ?? 0.5);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or FormatException or ArgumentException or System.Text.Json.JsonException)
                {
                    throw new StartupFileException(ModelPathSetting, path, "not an inspection model: " + ex.Message.TrimEnd('.'), ex);
                }

                InspectionLog.ModelLoaded(logger, path, o.ModelThreshold ?? model.Threshold);
            }
        }

        Engine = new InspectionEngine(o, model);
    }

    private const string ModelPathSetting = InspectionOptions.SectionPath + ":ModelPath";

    public InspectionEngine Engine { get; }
}
