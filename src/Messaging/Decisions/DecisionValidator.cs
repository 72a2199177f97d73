using System.Net;
using System.Net.Sockets;

namespace Analytics.Messaging;

/// <summary>
/// The one check every decision passes before it is published (analyzer, admin APIs) or
/// enforced (sidecars): known scope and action, key = <c>scope:value</c>, an expiry within the
/// maximum TTL, no range wider than the minimum prefix unless made by hand, a cap on how many
/// are held, and, with a signing key, a valid signature. Whether the value is valid for its
/// scope (a parsable address, no host bits) stays with the store that indexes it.
/// </summary>
public sealed class DecisionValidator
{
    // Producers and sidecars run on different hosts: tolerate this much clock difference.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly DecisionRules _rules;
    private readonly DecisionSigner? _signer;
    private readonly TimeProvider _time;

    public DecisionValidator(DecisionRules rules, TimeProvider? time = null)
    {
        _rules = rules;
        _signer = DecisionSigner.For(rules);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>True when a signing key is configured: decisions are signed, and unsigned ones refused.</summary>
    public bool Signs => _signer is not null;

    /// <summary>The decision signed with the configured key (unchanged without one).</summary>
    public Decision Sign(Decision decision) => _signer is null ? decision : _signer.Sign(decision);

    /// <summary>
    /// Null when the decision may be published or enforced, else one of <see cref="DecisionRejections"/>.
    /// <paramref name="key"/> is the stream key (null before publishing: the decision's own).
    /// <paramref name="heldAlready"/> is how many decisions the caller holds besides any this one replaces.
    /// </summary>
    public string? Validate(Decision decision, string? key = null, int heldAlready = 0, bool checkSignature = true)
    {
        if (!DecisionScopes.IsKnown(decision.Scope) || !DecisionActions.IsKnown(decision.Action) || string.IsNullOrEmpty(decision.Id))
        {
            return DecisionRejections.Malformed;
        }

        if (key is not null && key != decision.Key)
        {
            return DecisionRejections.KeyMismatch;
        }

        if (decision.Expires is not { } expires)
        {
            return DecisionRejections.NoExpiry;
        }

        var manual = decision.Source == "manual";
        if (expires - decision.Created > (manual ? _rules.MaxManualTtl : _rules.MaxTtl))
        {
            return DecisionRejections.TtlTooLong;
        }

        if (decision.Created > _time.GetUtcNow() + ClockSkew)
        {
            return DecisionRejections.FromTheFuture;
        }

        if (!manual && decision.Scope == DecisionScopes.Cidr && TooWide(decision.Value))
        {
            return DecisionRejections.RangeTooWide;
        }

        if (heldAlready >= _rules.MaxActive)
        {
            return DecisionRejections.TooMany;
        }

        if (checkSignature && _signer is not null)
        {
            if (string.IsNullOrEmpty(decision.Signature))
            {
                return DecisionRejections.NotSigned;
            }

            if (!_signer.Verify(decision))
            {
                return DecisionRejections.BadSignature;
            }
        }

        return null;
    }

    /// <summary>Wider than the minimum prefix; an IPv4-mapped range counts as the IPv4 range it stands for.</summary>
    private bool TooWide(string value)
    {
        if (!IPNetwork.TryParse(value, out var network))
        {
            // Not a range at all: the store refuses it as an invalid value.
            return false;
        }

        var prefix = network.PrefixLength;
        if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
        {
            return prefix < _rules.MinIpv4Prefix;
        }

        // ::ffff:0.0.0.0/96 is 0.0.0.0/0; anything up to /96 also covers IPv4-mapped space as a whole.
        return prefix < _rules.MinIpv6Prefix
               || (network.BaseAddress.IsIPv4MappedToIPv6 && prefix - 96 < _rules.MinIpv4Prefix);
    }
}
