using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Analytics.Tools.Cli;

/// <summary>Writes an answer as a table for people or as the API's JSON for scripts.</summary>
internal sealed class Output(CliContext context, bool json)
{
    public bool IsJson => json;

    /// <summary>The API's JSON as it came, indented.</summary>
    public void Json(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            if (element.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                element.WriteTo(writer);
            }
        }

        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>One row per array item, one column per named property.</summary>
    public void Table(JsonElement items, string empty, params (string Header, string Property)[] columns)
    {
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            context.Console.WriteLine(empty);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var item in items.EnumerateArray())
        {
            table.AddRow(columns.Select(c => Markup.Escape(Cell(item, c.Property))).ToArray());
        }

        context.Console.Write(table);
    }

    /// <summary>An object as name/value rows; nested objects become dotted names.</summary>
    public void KeyValues(string title, JsonElement element)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        table.AddColumn("name");
        table.AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in Flatten("", element))
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        context.Console.Write(table);
    }

    public void Line(string text) => context.Console.WriteLine(text);

    private static IEnumerable<(string Name, string Value)> Flatten(string prefix, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            yield return (prefix, Text(element));
            yield break;
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            foreach (var row in Flatten(name, property.Value))
            {
                yield return row;
            }
        }
    }

    private static string Cell(JsonElement item, string property) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var value) ? Text(value) : "";

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        // Timestamps to the second in UTC: tables are for reading; --output json keeps the full value.
        JsonValueKind.String when value.GetString() is { Length: >= 20 } s && s[4] == '-' && s[10] == 'T'
                                  && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : value.GetDouble().ToString("0.###", CultureInfo.InvariantCulture),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        _ => value.GetRawText(),
    };
}
