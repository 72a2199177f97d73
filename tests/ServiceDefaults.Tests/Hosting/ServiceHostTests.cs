using Analytics.ServiceDefaults.Hosting;

namespace Analytics.ServiceDefaults.Tests.Hosting;

public sealed class ServiceHostTests
{
    [Fact]
    public void Configuration_is_read_from_the_program_folder_when_the_working_directory_has_none()
    {
        var dir = Directory.CreateTempSubdirectory("servicehost-");
        try
        {
            Assert.Equal(AppContext.BaseDirectory, ServiceHost.ContentRoot([], dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_working_directory_with_its_own_appsettings_is_the_content_root()
    {
        // How a script runs it: write the configuration into a folder, cd there, start the service.
        var dir = Directory.CreateTempSubdirectory("servicehost-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "appsettings.json"), "{}");

            Assert.Equal(dir.FullName, ServiceHost.ContentRoot([], dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_command_line_content_root_wins_over_the_working_directory()
    {
        var working = Directory.CreateTempSubdirectory("servicehost-");
        var given = Directory.CreateTempSubdirectory("servicehost-");
        try
        {
            File.WriteAllText(Path.Combine(working.FullName, "appsettings.json"), "{}");

            Assert.Equal(given.FullName, ServiceHost.ContentRoot(["--contentRoot", given.FullName], working.FullName));
        }
        finally
        {
            working.Delete(recursive: true);
            given.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_content_root_that_does_not_exist_is_one_line_and_exit_code_1()
    {
        var missing = Path.Combine(Path.GetTempPath(), "servicehost-missing-" + Guid.NewGuid().ToString("N"));

        var ex = Record.Exception(() => ServiceHost.CreateBuilder(["--contentRoot", missing]));
        var failure = StartupFailure.From(ex!);
        using var error = new StringWriter();
        await failure!.ReportAsync(error);

        Assert.Equal(StartupFailure.EnvironmentExitCode, failure.ExitCode);
        Assert.Equal($"start-up error: --contentRoot = '{missing}': no such directory", error.ToString().TrimEnd());
    }

    [Fact]
    public void A_content_root_on_the_command_line_is_where_appsettings_is_read_from()
    {
        var dir = Directory.CreateTempSubdirectory("servicehost-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "appsettings.json"), """{ "Probe": { "Value": "from-the-given-folder" } }""");

            var builder = ServiceHost.CreateBuilder(["--contentRoot", dir.FullName]);

            Assert.Equal(dir.FullName.TrimEnd(Path.DirectorySeparatorChar), builder.Environment.ContentRootPath.TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal("from-the-given-folder", builder.Configuration["Probe:Value"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
