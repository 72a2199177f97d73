using Analytics.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Analyzer.Tests.Detection;

/// <summary>An anomaly model path that is wrong stops start-up with one line naming the setting, not a stack trace.</summary>
public sealed class ModelStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("analyzer-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_configured_model_that_is_missing_is_one_line_naming_the_setting()
    {
        var missing = Path.Combine(_dir, "missing.zip");

        var line = await StartupLineAsync(missing);

        Assert.StartsWith($"start-up error: Analyzer:Model:Path = '{missing}': file not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_model_is_one_line_naming_the_setting()
    {
        var garbage = Path.Combine(_dir, "garbage.zip");
        await File.WriteAllTextAsync(garbage, "not a zip");

        var line = await StartupLineAsync(garbage);

        Assert.StartsWith($"start-up error: Analyzer:Model:Path = '{garbage}': not a model this analyzer can load", line, StringComparison.Ordinal);
    }

    private async Task<string> StartupLineAsync(string modelPath)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Analyzer:Model:Path"] = modelPath;
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.Configuration["Search:Enabled"] = "false";
        builder.Configuration["Streams:InProcess:DataDirectory"] = _dir;
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAnalyzer();

        var ex = await Record.ExceptionAsync(() => app.StartAsync());

        Assert.NotNull(ex);
        var failure = StartupFailure.From(ex);
        Assert.True(failure is not null, ex.ToString());
        var line = Assert.Single(failure.Lines);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        return line;
    }
}
