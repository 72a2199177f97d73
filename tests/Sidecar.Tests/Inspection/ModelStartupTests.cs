using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>An inspection model path that is wrong stops start-up with one line naming the setting, not a stack trace.</summary>
public sealed class ModelStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_configured_model_that_is_missing_is_one_line_naming_the_setting()
    {
        var missing = Path.Combine(_dir, "missing.zip");

        var line = await StartupLineAsync(missing);

        Assert.StartsWith($"start-up error: Sidecar:Inspection:ModelPath = '{missing}': file not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_model_is_one_line_naming_the_setting()
    {
        var garbage = Path.Combine(_dir, "garbage.zip");
        await File.WriteAllTextAsync(garbage, "not a zip");

        var line = await StartupLineAsync(garbage);

        Assert.StartsWith($"start-up error: Sidecar:Inspection:ModelPath = '{garbage}': not an inspection model", line, StringComparison.Ordinal);
    }

    private static async Task<string> StartupLineAsync(string modelPath)
    {
        var ex = await Record.ExceptionAsync(async () =>
            await (await TestSidecar.StartAsync(c => c["Sidecar:Inspection:ModelPath"] = modelPath, captureEvents: false)).DisposeAsync());
        Assert.NotNull(ex);
        var failure = StartupFailure.From(ex);
        Assert.True(failure is not null, ex.ToString());
        var line = Assert.Single(failure.Lines);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        return line;
    }
}
