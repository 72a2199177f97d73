namespace Analytics.Alerts;

internal static class Program
{
    public static int Main() => 0;
}
