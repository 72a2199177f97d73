namespace Analytics.Sidecar;

internal static class Program
{
    public static int Main() => 0;
}
