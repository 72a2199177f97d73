using System.Text.Json;
using Analytics.Messaging.InProcess;

namespace Analytics.Messaging.Tests.Decisions;

/// <summary>The one decision validator and the HMAC signature, as producers and sidecars use them.</summary>
public sealed class DecisionValidatorTests
{
    private const string Key = "messaging-test-signing-key-0123456789abcdef";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void A_signature_survives_the_wire_and_any_change_to_an_enforced_field_breaks_it()
    {
        var validator = new DecisionValidator(new DecisionRules { SigningKey = Key });
        var signed = validator.Sign(Throttle());
        var read = MessageSchema.Deserialize(MessageSchema.Serialize(signed, Streams.Decisions), Streams.Decisions);

        Assert.Null(validator.Validate(read, read.Key));
        Assert.Equal(DecisionRejections.BadSignature, validator.Validate(read with { Rate = 100 }, read.Key));
        Assert.Equal(DecisionRejections.BadSignature, validator.Validate(read with { Simulated = true }, read.Key));
        Assert.Equal(DecisionRejections.BadSignature, validator.Validate(read with { Expires = read.Expires!.Value.AddHours(1) }, read.Key));
        Assert.Equal(DecisionRejections.BadSignature, validator.Validate(read with { Signature = "not-base64url" }, read.Key));
        Assert.Equal(DecisionRejections.NotSigned, validator.Validate(read with { Signature = null }, read.Key));
        // The evidence is informational: a producer may enrich it without re-signing.
        Assert.Null(validator.Validate(read with { Score = 0.1 }, read.Key));
    }

    [Fact]
    public void The_canonical_form_cannot_be_shifted_between_fields()
    {
        var a = Throttle() with { Reason = "a\n5:b", Source = "rule:x" };
        var b = Throttle() with { Reason = "a", Source = "b\n6:rule:x" };
        Assert.NotEqual(DecisionSigner.CanonicalForm(a), DecisionSigner.CanonicalForm(b));
    }

    [Theory]
    [InlineData("cidr", "10.0.0.0/15", "rule:x", DecisionRejections.RangeTooWide)]
    [InlineData("cidr", "10.0.0.0/16", "rule:x", null)]
    [InlineData("cidr", "0.0.0.0/0", "manual", null)]
    [InlineData("cidr", "2001:db8::/47", "model:pca", DecisionRejections.RangeTooWide)]
    [InlineData("cidr", "2001:db8::/48", "model:pca", null)]
    [InlineData("cidr", "::ffff:10.0.0.0/111", "rule:x", DecisionRejections.RangeTooWide)]
    [InlineData("cidr", "::ffff:10.0.0.0/112", "rule:x", null)]
    public void Automatic_ranges_need_the_minimum_prefix(string scope, string value, string source, string? expected)
    {
        var validator = new DecisionValidator(new DecisionRules());
        var decision = Throttle() with { Scope = scope, Value = value, Source = source };
        Assert.Equal(expected, validator.Validate(decision, decision.Key));
    }

    [Fact]
    public void Expiry_ttl_key_cap_and_clock_are_checked()
    {
        var validator = new DecisionValidator(new DecisionRules { MaxActive = 2 });
        var d = Throttle();
        Assert.Equal(DecisionRejections.NoExpiry, validator.Validate(d with { Expires = null }, d.Key));
        Assert.Equal(DecisionRejections.TtlTooLong, validator.Validate(d with { Expires = Now.AddDays(8) }, d.Key));
        Assert.Null(validator.Validate(d with { Source = "manual", Expires = Now.AddDays(8) }, d.Key));
        Assert.Equal(DecisionRejections.KeyMismatch, validator.Validate(d, "ip:192.0.2.99"));
        Assert.Equal(DecisionRejections.TooMany, validator.Validate(d, d.Key, heldAlready: 2));
        Assert.Equal(DecisionRejections.FromTheFuture, validator.Validate(d with { Created = Now.AddHours(1), Expires = Now.AddHours(2) }, d.Key));
        Assert.Equal(DecisionRejections.Malformed, validator.Validate(d with { Action = "nuke" }, d.Key));
    }

    [Fact]
    public async Task In_process_dead_letters_go_to_a_jsonl_file_beside_the_decisions()
    {
        var folder = Directory.CreateTempSubdirectory("deadletter-");
        try
        {
            IStreamTransport transport = new InProcessTransport(16, folder.FullName);
            var d = Throttle();
            await transport.DeadLetterAsync(Streams.Decisions, new StreamMessage<Decision>("ip:x", d, 0, 7, Now), DecisionRejections.KeyMismatch, CancellationToken.None);

            var line = Assert.Single(File.ReadAllLines(Path.Combine(folder.FullName, "deadletter.jsonl")));
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal("decisions", json.GetProperty("stream").GetString());
            Assert.Equal("ip:x", json.GetProperty("key").GetString());
            Assert.Equal(DecisionRejections.KeyMismatch, json.GetProperty("reason").GetString());
            Assert.Equal(d.Id, json.GetProperty("value").GetProperty("id").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Decision Throttle() => new()
    {
        Id = "d1", Scope = DecisionScopes.Ip, Value = "192.0.2.1", Action = DecisionActions.Throttle, Rate = 2.5,
        Reason = "flood", Source = "rule:flood", Created = Now, Expires = Now.AddMinutes(10),
    };
}
