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
    public void A_number_is_read_by_its_length_and_digits_in_other_text_by_their_value()
    {
        Assert.Equal(Buckets("_", "1733131200000"), Buckets("_", "1699999999999"));
        Assert.NotEqual(Buckets("_", "1733131200000"), Buckets("_", "1733131200"));
        // Short numbers keep their digits (page=1 is not page=7), and so does syntax around digits.
        Assert.NotEqual(Buckets("page", "1"), Buckets("page", "7"));
        Assert.NotEqual(Buckets("q", "1 or 9999=9999"), Buckets("q", "1 or 1234=5678"));
        // A signed number is read by its length at any length; with syntax after it, its digits count again.
        Assert.Equal(Buckets("q", "-1699999999999"), Buckets("q", "-1733131200000"));
        Assert.Equal(Buckets("q", "-1"), Buckets("q", "-7"));
        Assert.Equal(Buckets("lat", "-33.8688"), Buckets("lat", "-12.3456"));
        Assert.NotEqual(Buckets("q", "-1"), Buckets("q", "-12"));
        Assert.NotEqual(Buckets("q", "-1'"), Buckets("q", "-7'"));
        Assert.NotEqual(Buckets("q", "-1.2.3"), Buckets("q", "-7.8.9"));
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

    [Theory]
    [InlineData("q", "' or 1=1--")]
    [InlineData("", "a value without a name")]
    [InlineData("B1", "Añadir al carrito")]
    [InlineData("utm_source", "")]
    [InlineData("x", "=")]
    [InlineData("ÉLAN", "ÀÉÎ <b>ñ</b> ٣")]
    public void Scoring_a_unit_from_its_key_and_value_is_hashing_its_composed_text(string key, string value) =>
        AssertSameBuckets(key, value);

    [Fact]
    public void Long_keys_and_values_are_cut_as_the_composed_text_cuts_them()
    {
        AssertSameBuckets(new string('k', 80) + "_1", "v=1");
        AssertSameBuckets("note", string.Concat(Enumerable.Repeat("<a href='x'>", 60)));
    }

    private static void AssertSameBuckets(string key, string value)
    {
        var composed = Buckets(key, value);
        var direct = new Collector { Buckets = [] };
        var count = NgramHasher.VisitUnit(key, value, ref direct);
        Assert.Equal(composed, direct.Buckets);
        Assert.Equal(composed.Count, count);
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
