namespace Analytics.Inspection.Detectors;

/// <summary>
/// Parameter names that, under PHP's register_globals (or <c>extract($_REQUEST)</c>), overwrite the directory a
/// script includes its code from: a superglobal-style array element (<c>_CONF[path]</c>, <c>_SERVER[DOCUMENT_ROOT]</c>,
/// <c>GLOBALS[x]</c>) or a name that says "filesystem directory of the code" (<c>mosConfig_absolute_path</c>,
/// <c>GALLERY_BASEDIR</c>, <c>phpbb_root_path</c>, <c>path[docroot]</c>). A URL is never a legitimate value of
/// these; image, webhook and site URLs arrive under names like <c>image_path</c>, <c>site_root</c> or
/// <c>callback</c>, which are none of them.
/// </summary>
internal static class IncludePathNames
{
    // Whole words at the end of the name or of one of its parts ("phpbb_root_path", "config[root_dir]"; "basedir_note" is
    // a note), compared without case. No "root" or "path" alone:
    // "api_root" and "image_path" carry URLs in real APIs.
    private static readonly string[] Words =
    [
        "absolute_path", "absolutepath", "abs_path", "abspath",
        "document_root", "documentroot", "docroot", "doc_root",
        "include_path", "includepath", "include_dir", "includedir", "includes_dir", "inc_dir", "incdir",
        "basedir", "base_dir", "root_dir", "rootdir", "root_path", "rootpath", "lib_dir", "libdir", "lib_path", "libpath",
        "server_root", "appserv_root", "class_path", "classpath",
    ];

    public static bool Is(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var s = name.AsSpan();
        if (IsSuperglobalArray(s))
        {
            return true;
        }

        foreach (var word in Words)
        {
            for (var at = Text.IndexOf(s, word, 0); at >= 0; at = Text.IndexOf(s, word, at + 1))
            {
                var end = at + word.Length;
                if ((at == 0 || IsSeparator(s[at - 1])) && (end == s.Length || s[end] is '[' or ']' or '.' or '-'))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>GLOBALS[…]</c> or <c>_UPPER[…]</c>: PHP's superglobals and the arrays PHP applications name like them.</summary>
    private static bool IsSuperglobalArray(ReadOnlySpan<char> s)
    {
        var bracket = s.IndexOf('[');
        if (bracket < 0)
        {
            return false;
        }

        var head = s[..bracket];
        if (head.SequenceEqual("GLOBALS"))
        {
            return true;
        }

        // Two or more capitals after the underscore: "_CONF", "_SERVER", "_PHPLIB"; "_links" (HAL) and "_id" are lower case.
        return head.Length >= 3 && head[0] == '_' && head[1..].IndexOfAnyExcept(UpperSnake) < 0;
    }

    private static bool IsSeparator(char c) => c is '_' or '[' or ']' or '.' or '-';

    private static readonly System.Buffers.SearchValues<char> UpperSnake = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
}
