#!/usr/bin/env python3
"""Inclusive share of frames matching patterns in a folded profile, converted to us/request.

  profile-steps.py profile.folded CPU_US_PER_REQUEST [--top N] [--grep REGEX ...]
Without --grep: the per-step table (STEPS below), then the top-N inclusive frames.
"""
import collections
import re
import sys

STEPS = [
    ("edge InvokeAsync (inclusive: routing, YARP below it)", r"RequestEdgeMiddleware\W+InvokeAsync"),
    ("edge: framing guard", r"RequestNormalizationGuard\W+Check"),
    ("edge: path normalizer", r"RequestPathNormalizer\W+Apply"),
    ("edge: hardening (OnStarting)", r"RequestEdgeMiddleware\W+Harden"),
    ("edge: completion (OnCompleted)", r"RequestEdgeMiddleware\W+Complete"),
    ("route steps: checks (CheckAsync, inclusive)", r"RouteStepsMiddleware\W+<?CheckAsync"),
                ("failed-auth limiter", r"FailedAuthenticationLimiter\W+"),
    ("auth", r"RouteAuthenticator\W+Authenticate"),
    ("rate limiting", r"RequestRateLimiter\W+Acquire"),
    ("inspection", r"RequestInspector\W+Inspect"),
    ("body prefix read", r"BodyPrefix\W+ReadAsync"),
    ("forwarding step (ForwardAsync, incl. YARP)", r"RouteStepsMiddleware\W+ForwardAsync"),
    ("YARP forwarder SendAsync", r"HttpForwarder[^;]*SendAsync"),
    ("telemetry loop (event, catalog, stats)", r"RequestTelemetryWriter\W+<?(ExecuteAsync|Publish|Drain)"),
        ("Kafka drain (JSON + Produce)", r"Kafka[^;]*(Drain|Produce|Run)"),
    ("librdkafka threads (native)", r"^rdk:"),
        ("JIT", r"libclrjit"),
    ("kernel (inclusive)", r" \[k\]$"),
    ("ASP.NET Core authentication + authorization middlewares", r"Authentication\W+AuthenticationMiddleware|AuthorizationMiddleware\W+Invoke"),
    ("Activity (tracing)", r"System\.Diagnostics\.Activity\W|ActivitySource"),
    ("OpenTelemetry metrics (record)", r"OpenTelemetry\.Metrics"),
    ("HttpClient DiagnosticsHandler (own, approx.)", r"DiagnosticsHandler\W+SendAsyncCore"),
    ("HttpClient MetricsHandler", r"MetricsHandler"),
    ("Kestrel/Hosting metrics + diagnostics", r"HostingApplicationDiagnostics|HostingMetrics|KestrelMetrics"),
]

args = sys.argv[1:]
path, cpu = args[0], float(args[1])
top = 40
greps = []
i = 2
while i < len(args):
    if args[i] == "--top":
        top = int(args[i + 1]); i += 2
    elif args[i] == "--grep":
        greps.append(args[i + 1]); i += 2
    else:
        sys.exit("unknown argument " + args[i])

stacks = []
total = 0
for line in open(path):
    stack, n = line.rstrip("\n").rsplit(" ", 1)
    n = int(n)
    total += n
    stacks.append((stack.split(";"), n))


def inclusive(pattern):
    rx = re.compile(pattern)
    return sum(n for frames, n in stacks if any(rx.search(f) for f in frames))


steps = [(g, g) for g in greps] if greps else STEPS
print(f"samples {total}, cpu {cpu} us/request")
print("| step | share % | us/request |")
print("|---|---|---|")
for name, pattern in steps:
    s = inclusive(pattern)
    print(f"| {name} | {100.0 * s / total:.2f} | {cpu * s / total:.1f} |")
if not greps:
    inc = collections.Counter()
    self_ = collections.Counter()
    for frames, n in stacks:
        for f in set(frames[1:]):
            inc[f] += n
        self_[frames[-1]] += n
    print("\ntop inclusive frames")
    for f, n in inc.most_common(top):
        print(f"{100.0 * n / total:6.2f}%  {f[:160]}")
    print("\ntop self frames")
    for f, n in self_.most_common(top):
        print(f"{100.0 * n / total:6.2f}%  {f[:160]}")
