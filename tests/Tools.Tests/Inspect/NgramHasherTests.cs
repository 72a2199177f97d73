using Analytics.Inspection;
using Analytics.Inspection.Model;

namespace Analytics.Tools.Tests.Inspect;

/// <summary>
/// The learned model's features: a unit's name is one symbol whose n-grams have buckets of
/// their own, so names that merely end alike share nothing, and a name never trained on cannot
/// move a value's score through the value's buckets.
/// </summary>
public sealed class NgramHasherTests
{
    private const int NameRegionStart = NgramHasher.Dimension - NgramHasher.NameBuckets;

    private static List<int> Buckets(string key, string value)
    {
        var collector = new Collector { Buckets = [] };
        NgramHasher.Visit(ModelInput.Compose(key, value), ref collector);
        return collector.Buckets;
    }

    [Theory]
    [InlineData("agenda", "idA")]
    [InlineData("Inmaculada", "nombreA")]
    [InlineData("area", "B2A")]
    public void Names_that_end_alike_share_no_bucket(string benignName, string trainedName)
    {
        var a = Buckets(benignName, "1").Where(b => b >= NameRegionStart).ToHashSet();
        var b = Buckets(trainedName, "1").Where(b => b >= NameRegionStart).ToHashSet();

        Assert.NotEmpty(a);
        Assert.Empty(a.Intersect(b));
    }

    [Fact]
    public void The_value_buckets_do_not_depend_on_the_name()
    {
        var value = "' or 1=1--";
        var underQ = Buckets("q", value).Where(b => b < NameRegionStart).Order().ToList();
        var underOther = Buckets("utm_campaign", value).Where(b => b < NameRegionStart).Order().ToList();

        Assert.NotEmpty(underQ);
        Assert.Equal(underQ, underOther);
    }

    [Fact]
    public void Only_syntax_n_grams_count_and_the_name_is_case_blind()
    {
        // "=ab", "=ab\u0003" in the value; three n-grams from U+0002 and three from the name, all containing '='.
        Assert.Equal(8, Buckets("lang", "ab").Count);
        Assert.Equal(Buckets("LANG", "ab"), Buckets("lang", "ab"));
        Assert.NotEqual(Buckets("lang", "ab"), Buckets("langs", "ab"));
        // Words alone make no n-gram: a unit without a name is its characters.
        Assert.DoesNotContain(Buckets("", "plain words only"), b => b >= NameRegionStart);
    }

    [Fact]
    public void A_model_trained_on_other_features_is_refused_at_load()
    {
        var shipped = ModelPath.Resolve(new InspectionOptions().ModelPath!, AppContext.BaseDirectory)!;
        Assert.Equal(NgramHasher.FeatureSet, ModelCard.TryRead(shipped)!.FeatureSet);
        var dir = Directory.CreateTempSubdirectory("inspection-model-");
        try
        {
            var copy = Path.Combine(dir.FullName, "inspection-model.zip");
            File.Copy(shipped, copy);
            var card = ModelCard.TryRead(shipped)!;
            card.FeatureSet = null;
            card.Write(copy);

            var error = Assert.Throws<InvalidDataException>(() => LearnedScorer.Load(copy, 0.5));
            Assert.Contains("Train it again", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private struct Collector : INgramVisitor
    {
        public List<int> Buckets;

        public readonly void Visit(int bucket) => Buckets.Add(bucket);
    }
}
