using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Messaging;
using Analytics.Sidecar.Enforcement;

namespace Analytics.Fuzz.Targets;

/// <summary>
/// A message on the decisions stream as a sidecar reads it: the first line is the key, the rest
/// the JSON value (none: a tombstone). It goes through <see cref="Ingest"/>, which does what
/// DecisionFeed does with a message; then the store answers lookups and removes it by key.
/// </summary>
internal sealed class DecisionsTarget : IFuzzTarget
{
    private static readonly IPAddress[] Probes =
    [
        IPAddress.Parse("127.0.0.9"), IPAddress.Parse("10.1.2.3"), IPAddress.Parse("::1"),
        IPAddress.Parse("::ffff:127.0.0.9"), IPAddress.Parse("2001:db8::1"),
    ];

    public string Name => "decisions";

    public void Run(ReadOnlySpan<byte> data)
    {
        var newline = data.IndexOf((byte)'\n');
        var key = Encoding.UTF8.GetString(newline < 0 ? data : data[..newline]);
        var value = newline < 0 ? [] : data[(newline + 1)..];
        Decision? decision = null;
        if (!value.IsEmpty)
        {
            try
            {
                decision = MessageSchema.Deserialize(value, Streams.Decisions);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                return; // dead-lettered by the consumer
            }
        }

        var store = new DecisionStore(TimeProvider.System);
        Ingest(store, key, decision);
        foreach (var probe in Probes)
        {
            _ = store.CheckIp(probe).Enforced;
        }

        if (decision is not null)
        {
            _ = store.CheckPrincipal(PrincipalKinds.ApiKey, decision.Value);
            _ = store.CheckPrincipal(PrincipalKinds.Jwt, decision.Value);
            if (decision.Id is not null)
            {
                _ = store.FindById(decision.Id); // the admin API's ids come from a route value, never null
            }
            if (IPAddress.TryParse(decision.Value, out var address))
            {
                _ = store.CheckIp(address);
            }
        }

        _ = store.Active();
        _ = store.RemoveByKey(key);
        if (decision is not null)
        {
            _ = store.RemoveByKey(decision.Key);
        }
    }

    // The sidecar's rules, unsigned: the fuzzer cannot forge an HMAC, so signing would only make
    // it stop at the signature check; everything behind it is what the harness must reach.
    private static readonly DecisionValidator Validator = new(new DecisionRules());

    /// <summary>The feed's handling of one message: validated first; a refused decision is dead-lettered, not applied.</summary>
    private static void Ingest(DecisionStore store, string key, Decision? decision)
    {
        if (decision is null)
        {
            store.RemoveByKey(key);
        }
        else if (Validator.Validate(decision, key, store.ActiveCount()) is null && !decision.IsExpired(TimeProvider.System.GetUtcNow()))
        {
            store.Apply(decision);
        }
    }
}
