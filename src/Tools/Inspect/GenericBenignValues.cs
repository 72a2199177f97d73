using System.Text;
using Analytics.Inspection;
using Analytics.Inspection.Model;

namespace Analytics.Tools.Inspect;

/// <summary>
/// Benign values of no particular API, for training: every field of the Elastic Common Schema
/// (ecs_flat.yml, shipped with the corpora) gives its name as a key with its example value,
/// its one-line summary and its description. The corpora's own benign requests all come from
/// one Spanish shop; without these the model learns "anything unlike that shop is an attack"
/// (English prose, e-mail addresses, timestamps, URLs, tokens).
/// </summary>
internal static class GenericBenignValues
{
    /// <summary>
    /// Generic benign request bodies: each (key, value) of an ecs_flat.yml alone, and the
    /// values of each field set (<c>url.*</c>, <c>user.*</c>, …) a few at a time, as an API's
    /// object with several fields would carry them.
    /// </summary>
    public static List<Dictionary<string, string>> Requests(string path)
    {
        var pairs = ReadEcs(path);
        var requests = new List<Dictionary<string, string>>();
        foreach (var (_, key, value) in pairs)
        {
            requests.Add(new Dictionary<string, string> { [key] = value });
        }

        Dictionary<string, string>? current = null;
        string? currentGroup = null;
        foreach (var (group, key, value) in pairs)
        {
            if (current is null || group != currentGroup || current.Count == 6 || current.ContainsKey(key))
            {
                current = [];
                currentGroup = group;
                requests.Add(current);
            }

            current[key] = value;
        }

        return requests;
    }

    /// <summary>(field set, key, value) triples read from an ecs_flat.yml.</summary>
    public static List<(string Group, string Key, string Value)> ReadEcs(string path)
    {
        var pairs = new List<(string Group, string Key, string Value)>();
        string? field = null;
        string? property = null;
        var text = new StringBuilder();
        foreach (var line in File.ReadLines(path))
        {
            var isField = line.Length > 0 && line[0] != ' ' && line.EndsWith(':');
            var isProperty = line.StartsWith("  ", StringComparison.Ordinal) && line.Length > 2 && line[2] != ' ' && line[2] != '-';
            if (isField || isProperty)
            {
                Flush(pairs, field, property, text);
                property = null;
            }

            if (isField)
            {
                field = line[..^1].Trim('\'');
                continue;
            }

            if (isProperty)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var name = colon < 0 ? "" : line[2..colon];
                if (name is "example" or "description" or "short")
                {
                    property = name;
                    text.Append(line[(colon + 1)..].Trim());
                }

                continue;
            }

            if (property is not null)
            {
                // A folded continuation line; an empty one is a line break.
                var t = line.Trim();
                text.Append(t.Length == 0 ? "\n" : text.Length > 0 && text[^1] != '\n' ? " " + t : t);
            }
        }

        Flush(pairs, field, property, text);
        return pairs;
    }

    private static void Flush(List<(string Group, string Key, string Value)> pairs, string? field, string? property, StringBuilder text)
    {
        if (field is not null && property is not null && text.Length > 0)
        {
            var value = text.ToString().Trim();
            if (value.Length > 1 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1].Replace("''", "'", StringComparison.Ordinal);
            }

            // The example keeps the field's own name (its last segment, as an API would call it);
            // prose goes under the names free text usually has.
            var key = property == "example" ? field[(field.LastIndexOf('.') + 1)..] : property;
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            pairs.Add((dot < 0 ? field : field[..dot], key, value));
        }

        text.Clear();
    }
}
