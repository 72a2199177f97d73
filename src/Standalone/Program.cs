namespace Analytics.Standalone;

internal static class Program
{
    public static int Main() => 0;
}
