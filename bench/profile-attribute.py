#!/usr/bin/env python3
"""Exclusive attribution of a folded profile: each sample goes to the first owner met walking
from the leaf to the root, skipping the runtime, the BCL and the kernel (so an allocation or a
syscall counts for the component that made it); GC and JIT samples go to GC and JIT. us/request = share x CPU us/request.

  profile-attribute.py profile.folded CPU_US_PER_REQUEST
"""
import collections
import re
import sys

# Checked in order for each frame, leaf first; the first category whose pattern matches wins.
CATEGORIES = [
    ("librdkafka threads (native)", None, r"^rdk:"),
    ("Kafka drain (JSON + Produce)", r"Analytics\.Messaging\.Kafka|Confluent\.Kafka|MessagesJsonContext", None),
    ("telemetry loop (event, catalog, stats)", r"RequestTelemetryWriter|ApiCatalog|PathTemplater|Analytics\.Sidecar\.Catalog", None),
    ("OpenTelemetry metrics (aggregation)", r"OpenTelemetry", None),
    ("Activity / trace context", r"System\.Diagnostics\.Activity|ActivitySource|DistributedContextPropagator|Propagator|HostingApplicationDiagnostics", None),
    ("metrics instruments (MetricsHandler, Hosting, Kestrel, Meter)", r"MetricsHandler|HostingMetrics|KestrelMetrics|System\.Diagnostics\.Metrics", None),
    ("inspection", r"Analytics\.Inspection|Analytics\.Sidecar\.Inspection", None),
    ("sidecar edge (context, guard, hardening, completion)", r"Analytics\.Sidecar\.Pipeline\.RequestEdge|Analytics\.Sidecar\.Proxy|Analytics\.Sidecar\.Pipeline\.RequestContext", None),
    ("sidecar route steps (policy, limits, decisions, auth, rate limit)", r"Analytics\.Sidecar", None),
    ("ASP.NET authentication + authorization middlewares", r"AuthenticationMiddleware|AuthorizationMiddleware|Microsoft\.AspNetCore\.Authentication|Microsoft\.AspNetCore\.Authorization", None),
    ("YARP", r"Yarp\.", None),
    ("HttpClient (System.Net.Http)", r"System\.Net\.Http", None),
    ("Kestrel + hosting + routing", r"Microsoft\.AspNetCore", None),
    ("sockets (managed)", r"System\.Net\.Sockets", None),
    ("thread pool dispatch (no owner below)", r"ThreadPoolWorkQueue|PortableThreadPool|WorkerThread", None),
]
# Checked before the owners over the whole stack: time in these goes to them wherever it is called from.
FIRST = [("GC", r"gc_heap|GCHeap|WKS::|SVR::|GCToEEInterface"), ("JIT", r"libclrjit|TieredCompilation")]

path, cpu = sys.argv[1], float(sys.argv[2])
counts = collections.Counter()
total = 0
for line in open(path):
    stack, n = line.rstrip("\n").rsplit(" ", 1)
    n = int(n)
    total += n
    frames = stack.split(";")
    comm = frames[0]
    hit = None
    for name, rx in FIRST:
        if any(re.search(rx, f) for f in frames[1:]):
            hit = name
            break
    for name, frame_rx, comm_rx in ([] if hit else CATEGORIES):
        if comm_rx and re.search(comm_rx, comm):
            hit = name
            break
    if hit is None:
        for f in reversed(frames[1:]):
            for name, frame_rx, comm_rx in CATEGORIES:
                if frame_rx and re.search(frame_rx, f):
                    hit = name
                    break
            if hit:
                break
    counts[hit or "other"] += n
print(f"samples {total}, cpu {cpu} us/request")
print("| where (exclusive, leaf first) | share % | us/request |")
print("|---|---|---|")
for name, n in counts.most_common():
    print(f"| {name} | {100.0 * n / total:.1f} | {cpu * n / total:.1f} |")
