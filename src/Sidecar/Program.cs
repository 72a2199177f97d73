using System.CommandLine;
using Analytics.Sidecar.Inspection.Cli;

namespace Analytics.Sidecar;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("API security analytics sidecar") { InspectCommand.Create() };
        root.SetAction(_ => 0);
        return root.Parse(args).Invoke();
    }
}
