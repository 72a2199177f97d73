using Analytics.Inspection.Model;

namespace Analytics.Tools.Inspect;

/// <summary>
/// The name view for training: parameter names of no particular API, each as a unit
/// <c>name=value</c> with an ordinary value, taught as benign. The corpora's benign requests
/// carry the twenty names of one shop, and CSIC's anomalies are those names with a letter added
/// (<c>idA=</c>): without other names the model learned that an unfamiliar name, or one ending
/// like <c>…da=</c>, is an attack, and flagged <c>?Inmaculada=1</c>. The names are the words
/// the training benign requests carry as values (identifier-shaped ones: names, cities, product
/// words, codes) and the field names of the Elastic Common Schema; a fifth of them, by a hash of
/// the name, is held out to estimate the false-positive rate on names the model never saw.
/// </summary>
internal static class BenignNames
{
    private static readonly string[] OrdinaryValues = ["1", "2", "10", "25", "100", "0", "true", "false", "asc", "en"];

    /// <summary>True for the fifth of names kept out of training.</summary>
    public static bool IsHeldOut(string name) => ReplayRecord.StableHash(name.ToLowerInvariant()) % 5 == 0;

    /// <summary>
    /// Distinct identifier-shaped names (letters, digits, '_' and '-', with a letter, 2 to 40
    /// characters) from the values of <paramref name="benignUnits"/> (model units of benign
    /// requests) and from <paramref name="ecsFields"/> (whole names and their dotted segments).
    /// </summary>
    public static List<string> Collect(IEnumerable<string> benignUnits, IEnumerable<string> ecsFields)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in benignUnits)
        {
            var eq = unit.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var value = unit.AsSpan(eq + 1).TrimEnd(ModelInput.ValueEnd);
            if (IsNameShaped(value))
            {
                names.Add(value.ToString());
            }
        }

        foreach (var field in ecsFields)
        {
            if (IsNameShaped(field.Replace('.', '_')))
            {
                names.Add(field);
            }

            foreach (var part in field.Split('.'))
            {
                if (IsNameShaped(part))
                {
                    names.Add(part);
                }
            }
        }

        var list = names.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>
    /// One training sample's units for a name: the name with a value picked by its hash, an
    /// ordinary one (<c>1</c>, <c>true</c>, a number) or another of the names as a word, so that no
    /// one value is taught as benign more than the training requests teach it.
    /// </summary>
    public static List<string> Units(string name, IReadOnlyList<string> names)
    {
        var h = ReplayRecord.StableHash(name);
        var value = (h % 3) switch
        {
            0 => OrdinaryValues[(h / 3) % (uint)OrdinaryValues.Length],
            1 => ((h / 3) % 10000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => names[(int)((h / 3) % (uint)names.Count)],
        };
        return [ModelInput.Compose(name, value)];
    }

    private static bool IsNameShaped(ReadOnlySpan<char> s)
    {
        if (s.Length < 2 || s.Length > 40)
        {
            return false;
        }

        var letter = false;
        foreach (var c in s)
        {
            if (char.IsAsciiLetter(c))
            {
                letter = true;
            }
            else if (!char.IsAsciiDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return letter;
    }
}
