namespace Analytics.Inspection.Model;

/// <summary>Receives the buckets of a text's syntax n-grams; a struct, so the hasher's loop calls it inline.</summary>
internal interface INgramVisitor
{
    void Visit(int bucket);
}
