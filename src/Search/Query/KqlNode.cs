namespace Analytics.Search.Query;

/// <summary>A node of a parsed KQL query.</summary>
public abstract record KqlNode;

/// <summary>Any of the parts matches.</summary>
public sealed record KqlOr(IReadOnlyList<KqlNode> Parts) : KqlNode;

/// <summary>Every part matches.</summary>
public sealed record KqlAnd(IReadOnlyList<KqlNode> Parts) : KqlNode;

/// <summary>The part does not match.</summary>
public sealed record KqlNot(KqlNode Part) : KqlNode;

/// <summary>
/// <c>field:value</c>. The value is split at its unescaped <c>*</c> wildcards into
/// <see cref="Segments"/> (one segment: an exact match); a quoted value is always one segment,
/// matched literally; an unquoted lone <c>*</c> means the field exists.
/// </summary>
public sealed record KqlMatch(string Field, int FieldOffset, IReadOnlyList<string> Segments, bool Quoted, int ValueOffset) : KqlNode
{
    public bool IsExists => Segments.Count == 2 && Segments[0].Length == 0 && Segments[1].Length == 0;

    public bool HasWildcard => Segments.Count > 1;

    /// <summary>The literal value of an exact match.</summary>
    public string Value => Segments[0];
}

/// <summary><c>field &gt;= value</c> and the other comparisons.</summary>
public sealed record KqlRange(string Field, int FieldOffset, string Operator, string Value, int ValueOffset) : KqlNode;
