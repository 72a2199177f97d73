#!/usr/bin/env bash
# The project's copy of ../shared/bench/sidecar/run.sh (bench/load.sh --peers calls it).
# Starts the project's sidecar (src/Sidecar, Release build) as the "sidecar" peer of
# proxy-peers.sh: routes /api/items/{id} (GET) and /api/orders (POST) to BACKEND_URL, both
# behind an API key (X-Api-Key: bench-key-0123456789, role reader), a per-principal token
# bucket far above the load, telemetry to Kafka when KAFKA_BS is set (else in-process), and
# request inspection in INSPECTION mode (block | detect | off; default block).
# Run from the project root after `dotnet build -c Release`:
#   PROJECT (default: the current directory)   SIDECAR_DLL (default: the Release build of src/Sidecar)
#   KAFKA_BS=host:port,...   INSPECTION=block|detect|off
#   ADMIN_URL (default http://127.0.0.1:9911; give each concurrent run its own)
set -euo pipefail
: "${SIDECAR_URL:?}" "${BACKEND_URL:?}"
PROJECT=$(cd "${PROJECT:-$PWD}" && pwd)
SIDECAR_DLL=${SIDECAR_DLL:-$PROJECT/src/Sidecar/bin/Release/net10.0/Analytics.Sidecar.dll}
[ -f "$SIDECAR_DLL" ] || { echo "no sidecar build at $SIDECAR_DLL (dotnet build -c Release, or set SIDECAR_DLL)" >&2; exit 1; }
dir=$(mktemp -d)
mode=${INSPECTION:-block}
transport=InProcess; [ -n "${KAFKA_BS:-}" ] && transport=Kafka
key_sha=$(printf %s bench-key-0123456789 | sha256sum | cut -d' ' -f1)
cat > "$dir/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Kestrel": { "Endpoints": { "Proxy": { "Url": "$SIDECAR_URL" } } },
  "ReverseProxy": {
    "Routes": {
      "items":  { "ClusterId": "api", "Match": { "Path": "/api/items/{id}", "Methods": [ "GET" ] } },
      "orders": { "ClusterId": "api", "Match": { "Path": "/api/orders", "Methods": [ "POST" ] } }
    },
    "Clusters": { "api": { "Destinations": { "main": { "Address": "$BACKEND_URL/" } } } }
  },
  "Sidecar": {
    "Admin": { "Url": "${ADMIN_URL:-http://127.0.0.1:9911}", "Token": "bench-admin-token-0123456789" },
    "Auth": { "ApiKeys": { "Header": "X-Api-Key", "Keys": [ { "Id": "bench", "Sha256": "$key_sha", "Roles": [ "reader" ] } ] } },
    "RateLimiting": { "Policies": { "per-user": { "Kind": "TokenBucket", "PermitLimit": 1000000, "TokensPerPeriod": 1000000, "WindowSeconds": 1 } } },
    "Routes": {
      "items":  { "Auth": "authenticated", "Roles": [ "reader" ], "RateLimitPolicy": "per-user", "Inspection": { "Mode": "$mode" } },
      "orders": { "Auth": "authenticated", "Roles": [ "reader" ], "RateLimitPolicy": "per-user", "Inspection": { "Mode": "$mode" } }
    },
    "Telemetry": { "Service": "bench" }
  },
  "Streams": { "Transport": "$transport", "Kafka": { "BootstrapServers": "${KAFKA_BS:-unused:9092}" } }
}
JSON
cd "$dir"
# The sidecar reads appsettings.json from its own folder unless told otherwise.
exec dotnet "$SIDECAR_DLL" --contentRoot "$dir"
