namespace Analytics.Search.Query;

/// <summary>One token of a KQL query with its offset in the text.</summary>
internal readonly record struct KqlToken(KqlTokenKind Kind, string Text, IReadOnlyList<string> Segments, int Offset);

internal enum KqlTokenKind
{
    End,
    LeftParen,
    RightParen,
    Colon,
    Comparison,
    Word,
    Quoted,
    And,
    Or,
    Not,
}
