#!/usr/bin/env bash
# Shows that a non-.NET Kafka client (kcat) reads the requests topic and gets JSON that matches
# the contract. There is no broker here, so the bench project starts librdkafka's mock cluster,
# prints its bootstrap address and publishes sample RequestEvents through the real producer;
# kcat then reads analytics.requests from it and python3 checks every message's fields.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v kcat >/dev/null 2>&1 && ! command -v kafkacat >/dev/null 2>&1; then
  echo "installing kcat with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat) >/dev/null 2>&1 \
    || (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kafkacat >/dev/null 2>&1)
fi
KCAT=$(command -v kcat || command -v kafkacat)
EVENTS=${EVENTS:-5}

dotnet build -c Release bench/Analytics.Bench -v quiet -nologo >/dev/null
work=$(mktemp -d)
mkfifo "$work/stdin"
# The mock cluster lives as long as this process; holding its stdin open keeps it up.
dotnet bench/Analytics.Bench/bin/Release/net10.0/Analytics.Bench.dll kafka-mock-broker "$EVENTS" 300 <"$work/stdin" >"$work/broker.out" 2>"$work/broker.err" &
broker=$!
exec 3>"$work/stdin"
cleanup() { exec 3>&- || true; wait "$broker" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 300); do
  grep -q '^READY' "$work/broker.out" && break
  kill -0 "$broker" 2>/dev/null || { cat "$work/broker.out" "$work/broker.err"; echo "mock broker exited early"; exit 1; }
  sleep 0.2
done
grep -q '^READY' "$work/broker.out" || { cat "$work/broker.out"; echo "mock broker not ready"; exit 1; }
cat "$work/broker.out"
bootstrap=$(sed -n 's/^BOOTSTRAP=//p' "$work/broker.out")

echo "\$ $KCAT -C -b $bootstrap -t analytics.requests -e -q -f '%k\t%p\t%o\t%s\n'"
"$KCAT" -C -b "$bootstrap" -t analytics.requests -e -q -f '%k\t%p\t%o\t%s\n' | tee "$work/kcat.out"

python3 - "$work/kcat.out" "$EVENTS" <<'PY'
import json, sys
path, expected = sys.argv[1], int(sys.argv[2])
required = {"v": int, "ts": str, "request_id": str, "instance": str, "service": str, "client_ip": str,
            "principal": dict, "method": str, "path": str, "status": int, "bytes_in": int, "bytes_out": int,
            "duration_ms": (int, float), "auth": dict, "rate_limit": dict, "rejected_by": str}
forbidden = {"body", "query", "token", "authorization", "password", "api_key"}
lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip()]
assert len(lines) == expected, f"expected {expected} messages, kcat printed {len(lines)}"
for line in lines:
    key, partition, offset, value = line.split("\t", 3)
    doc = json.loads(value)
    for name, kind in required.items():
        assert name in doc, f"offset {offset}: missing field {name}"
        assert isinstance(doc[name], kind), f"offset {offset}: {name} is {type(doc[name]).__name__}"
    assert doc["v"] == 1, "schema version"
    assert key == doc["client_ip"], f"key {key!r} is not the client ip {doc['client_ip']!r}"
    assert doc["principal"]["kind"] in ("anonymous", "api_key", "jwt")
    assert not forbidden & set(doc), f"forbidden field present: {forbidden & set(doc)}"
print(f"OK: {len(lines)} messages read by kcat, each keyed by client_ip and matching the RequestEvent contract (v=1)")
PY
