using Analytics.Messaging;
using Analytics.Sidecar.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Proxy;

/// <summary>
/// Makes the sidecar and the upstream agree on which path a request is, before routing.
/// Kestrel has already percent-decoded the path and removed its dot segments, except that it
/// leaves <c>%2F</c> encoded (and turns a double-encoded <c>%252F</c> or <c>%252E</c> into
/// <c>%2F</c>/<c>%2E</c>): an upstream that decodes once more would read segments the route
/// never matched (<c>/api/items/1%2F..%2F..%2Fadmin</c> is the items route here and
/// <c>/admin</c> there). Kestrel also decodes <c>%5C</c> to a backslash, which some servers read
/// as '/': it counts as an escaped slash too. Escaped slashes are handled as <see cref="EscapedSlashActions"/> says;
/// dot segments (also spelt <c>%2E</c>) are removed as RFC 3986 §5.2.4 does, and the upstream
/// receives the normalised path.
/// </summary>
internal sealed class RequestPathNormalizer(string escapedSlashes)
{
    private readonly string _action = EscapedSlashActions.Parse(escapedSlashes) ?? EscapedSlashActions.RejectRequest;

    /// <summary>Normalises <see cref="HttpRequest.Path"/> in place; returns a task when it has answered the request instead.</summary>
    public Task? Apply(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var escapedSlash = HasEscapedSlash(path);
        if (escapedSlash)
        {
            switch (_action)
            {
                case EscapedSlashActions.RejectRequest:
                    return ProblemResponses.RejectAsync(context, StatusCodes.Status400BadRequest, RejectionReasons.Inspection, "Escaped slash in path",
                        "The path holds an escaped '/' or '\\' (%2F, %5C), which servers read differently. Send the path unescaped.");
                case EscapedSlashActions.KeepUnchanged:
                    escapedSlash = false;
                    break;
                default:
                    path = UnescapeSlashes(path);
                    break;
            }
        }

        var normalized = MayHaveDotSegments(path) ? RemoveDotSegments(path) : path;
        if (escapedSlash && _action == EscapedSlashActions.UnescapeAndRedirect)
        {
            RequestContext.For(context).RejectedBy = RejectionReasons.Inspection;
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = new PathString(normalized).ToUriComponent() + request.QueryString.ToUriComponent();
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        if (!ReferenceEquals(normalized, request.Path.Value))
        {
            request.Path = new PathString(normalized);
        }

        return null;
    }

    /// <summary>
    /// True when the path holds %2F or %5C in any case, or a backslash: Kestrel decodes %5C to
    /// '\' (and a double-encoded %252F to %2F) before anyone sees the path.
    /// </summary>
    internal static bool HasEscapedSlash(ReadOnlySpan<char> path)
    {
        if (path.Contains('\\'))
        {
            return true;
        }

        for (var i = path.IndexOf('%'); i >= 0 && i + 2 < path.Length; i = NextPercent(path, i))
        {
            if ((path[i + 1] == '2' && (path[i + 2] | 0x20) == 'f') || (path[i + 1] == '5' && (path[i + 2] | 0x20) == 'c'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>%2F, %5C (any case) and '\' as '/', which is how Envoy then normalises a backslash too.</summary>
    internal static string UnescapeSlashes(string path) => string.Create(path.Length - (2 * CountEscapedSlashes(path)), path, static (destination, source) =>
    {
        var w = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '%' && i + 2 < source.Length && IsEscapedSlash(source[i + 1], source[i + 2]))
            {
                destination[w++] = '/';
                i += 2;
            }
            else if (source[i] == '\\')
            {
                destination[w++] = '/';
            }
            else
            {
                destination[w++] = source[i];
            }
        }
    });

    /// <summary>
    /// RFC 3986 §5.2.4 remove_dot_segments in one pass over the path, where a segment spelt
    /// <c>.</c>, <c>..</c> or with <c>%2E</c> for a dot counts as a dot segment. A <c>..</c> above
    /// the root stays at the root, as the RFC says.
    /// </summary>
    internal static string RemoveDotSegments(string path)
    {
        var output = new char[path.Length + 1];
        var w = 0;
        var i = 0;
        while (i < path.Length)
        {
            // One segment: from after a '/' (or the start) to the next '/'.
            var leadingSlash = path[i] == '/';
            var start = leadingSlash ? i + 1 : i;
            var end = path.IndexOf('/', start);
            if (end < 0)
            {
                end = path.Length;
            }

            var segment = path.AsSpan(start, end - start);
            var last = end == path.Length;
            var dots = DotCount(segment);
            if (dots == 1)
            {
                // "/./" → "/"; a final "/." leaves the slash.
                if (last)
                {
                    output[w++] = '/';
                }
            }
            else if (dots == 2)
            {
                // "/../" drops the last output segment.
                while (w > 0 && output[w - 1] != '/')
                {
                    w--;
                }

                if (w > 0)
                {
                    w--;
                }

                if (last)
                {
                    output[w++] = '/';
                }
            }
            else
            {
                if (leadingSlash)
                {
                    output[w++] = '/';
                }

                segment.CopyTo(output.AsSpan(w));
                w += segment.Length;
            }

            i = end;
            if (last)
            {
                break;
            }
        }

        if (w == 0)
        {
            return "/";
        }

        var result = new string(output, 0, w);
        return result == path ? path : result;
    }

    /// <summary>Whether the path could hold a dot segment at all (most paths cannot: one vectorised search).</summary>
    private static bool MayHaveDotSegments(string path) =>
        path.Contains("/.", StringComparison.Ordinal) || path.Contains("%2e", StringComparison.OrdinalIgnoreCase) || path is "." or "..";

    /// <summary>1 for ".", 2 for "..", where a dot may be spelt %2E; 0 otherwise.</summary>
    private static int DotCount(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        var i = 0;
        while (i < segment.Length)
        {
            if (segment[i] == '.')
            {
                i++;
            }
            else if (segment[i] == '%' && i + 2 < segment.Length && segment[i + 1] == '2' && (segment[i + 2] | 0x20) == 'e')
            {
                i += 3;
            }
            else
            {
                return 0;
            }

            if (++dots > 2)
            {
                return 0;
            }
        }

        return dots;
    }

    private static bool IsEscapedSlash(char a, char b) => (a == '2' && (b | 0x20) == 'f') || (a == '5' && (b | 0x20) == 'c');

    private static int NextPercent(ReadOnlySpan<char> path, int i)
    {
        var next = path[(i + 1)..].IndexOf('%');
        return next < 0 ? -1 : i + 1 + next;
    }

    private static int CountEscapedSlashes(string path)
    {
        var count = 0;
        for (var i = 0; i + 2 < path.Length; i++)
        {
            if (path[i] == '%' && IsEscapedSlash(path[i + 1], path[i + 2]))
            {
                count++;
                i += 2;
            }
        }

        return count;
    }
}
