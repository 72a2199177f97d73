using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.ServiceDefaults.Tests.Options;

public sealed class OptionsRegistrationTests
{
    [Fact]
    public void An_unknown_key_is_a_configuration_error_naming_it()
    {
        var problems = Problems(new() { ["Sample:Name"] = "ok", ["Sample:Nmae"] = "typo" });

        var problem = Assert.Single(problems);
        Assert.Contains("Nmae", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_does_not_parse_is_a_configuration_error()
    {
        var problems = Problems(new() { ["Sample:Name"] = "ok", ["Sample:Count"] = "many" });

        Assert.Contains("Sample:Count", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_full_key()
    {
        var problems = Problems(new() { ["Sample:Name"] = "", ["Sample:Count"] = "-1" });

        Assert.Equal(["Sample:Name: must be set", "Sample:Count: must not be negative"], problems);
    }

    [Fact]
    public void Valid_options_bind()
    {
        using var services = Build(new() { ["Sample:Name"] = "ok", ["Sample:Count"] = "3" });

        var options = services.GetRequiredService<IOptions<SampleOptions>>().Value;

        Assert.Equal(("ok", 3), (options.Name, options.Count));
    }

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        var ex = Record.Exception(() => services.GetRequiredService<IOptions<SampleOptions>>().Value);
        Assert.NotNull(ex);
        var failure = StartupFailure.From(ex);
        Assert.NotNull(failure);
        Assert.Equal(StartupFailure.ConfigurationExitCode, failure.ExitCode);
        return failure.Lines.Select(l => l["configuration error: ".Length..]).ToArray();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddValidatedOptions<SampleOptions>(configuration, "Sample")
            .ValidateWith<SampleOptions>("Sample", (o, errors) =>
            {
                errors.AddIf(string.IsNullOrEmpty(o.Name), "Name", "must be set");
                errors.AddIf(o.Count < 0, "Count", "must not be negative");
            });
        return services.BuildServiceProvider();
    }

    public sealed class SampleOptions
    {
        public string Name { get; set; } = "";
        public int Count { get; set; }
    }
}
