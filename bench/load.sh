#!/usr/bin/env bash
# Throughput and latency of the upstream alone, a bare YARP proxy with the same route, and the
# sidecar (API-key auth + rate limiting + telemetry), measured with wrk in one interleaved
# session so machine noise hits all alike. Loopback only; bounded by ROUNDS x DURATION.
#
#   bench/load.sh                 # 3 rounds x 10 s each target
#   ROUNDS=5 DURATION=20s bench/load.sh
#   bench/load.sh --inspection    # the sidecar with request inspection in block mode
#   bench/load.sh --modsecurity   # also nginx alone and nginx + ModSecurity v3 + CRS (PL1, blocking)
#                                 # in front of the same upstream (Debian packages, installed if missing)
#   bench/load.sh --peers         # the shared side-by-side harness (../shared/bench/proxy-peers.sh):
#                                 # the proxy pinned to CPU 0, proxy CPU us/request, the sidecar with
#                                 # everything on (bench/sidecar-run.sh) against bare YARP, Kafka to a
#                                 # librdkafka mock cluster. PEERS, REPS, KINDS, INSPECTION=off|detect|block
#                                 # pass through; PORT_PREFIX (default 90) picks the ports;
#                                 # SIDECAR_CMD='exec ../shared/bench/sidecar/run.sh' runs the shared copy.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--peers" ]; then
  shared=${SHARED_BENCH:-../shared/bench}
  [ -f "$shared/proxy-peers.sh" ] || { echo "no $shared/proxy-peers.sh (set SHARED_BENCH)" >&2; exit 1; }
  p=${PORT_PREFIX:-90}
  perf=${PERF_ROOT:-$PWD/bench/results/peers}
  mkdir -p "$perf"
  dotnet build -c Release src/Sidecar -v quiet -nologo >/dev/null
  dotnet build -c Release --artifacts-path "$perf/mockkafka-artifacts" -o "$perf/mockkafka" "$shared/mockkafka" -v quiet -nologo >/dev/null
  taskset -c 1 "$perf/mockkafka/mockkafka" 3 >"$perf/mockkafka.log" 2>&1 &
  mock=$!
  trap 'kill $mock 2>/dev/null || true; wait $mock 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do grep -q '^BOOTSTRAP=' "$perf/mockkafka.log" && break; sleep 0.2; done
  KAFKA_BS=$(sed -n 's/BOOTSTRAP=//p' "$perf/mockkafka.log") \
  PERF_ROOT="$perf" PEERS="${PEERS:-yarp sidecar}" \
  BACKEND_PORT=${p}00 NGINX_PORT=${p}01 HAPROXY_PORT=${p}02 YARP_PORT=${p}03 MODSEC_PORT=${p}04 YARP_SGC_PORT=${p}05 \
  ADMIN_URL=http://127.0.0.1:${p}11 SIDECAR_URL=http://127.0.0.1:${p}10 \
  EXTRA_HEADER='X-Api-Key: bench-key-0123456789' SIDECAR_CMD="${SIDECAR_CMD:-exec $PWD/bench/sidecar-run.sh}" \
    bash "$shared/proxy-peers.sh"
  exit $?
fi

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
EXTRA_ARGS=()
MODSECURITY=false
for arg in "$@"; do
  case "$arg" in
    --modsecurity) MODSECURITY=true ;;
    *) EXTRA_ARGS+=("$arg") ;;
  esac
done
KEY="bench-key-0123456789"

install_debian_packages() {
  echo "installing $* (Debian packages)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@") >/dev/null 2>&1
}
command -v wrk >/dev/null 2>&1 || install_debian_packages wrk
if $MODSECURITY && { ! [ -e /usr/lib/nginx/modules/ngx_http_modsecurity_module.so ] || ! [ -e /usr/share/modsecurity-crs/owasp-crs.load ]; }; then
  install_debian_packages nginx-light libnginx-mod-http-modsecurity modsecurity-crs
fi

dotnet build -c Release bench/Analytics.Bench -v quiet -nologo >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The targets serve until their stdin closes: a fifo we hold open, closed on exit.
mkfifo "$out/stdin"
dotnet bench/Analytics.Bench/bin/Release/net10.0/Analytics.Bench.dll load-targets "${EXTRA_ARGS[@]}" <"$out/stdin" >"$out/targets.log" 2>&1 &
targets=$!
nginx_pid=""
exec 3>"$out/stdin"
trap 'exec 3>&- 2>/dev/null; kill $targets $nginx_pid 2>/dev/null || true; wait $targets $nginx_pid 2>/dev/null || true; rm -rf "$out"' EXIT

for _ in $(seq 1 300); do
  grep -q '^ready' "$out/targets.log" && break
  sleep 0.2
done
grep -q '^ready' "$out/targets.log" || { cat "$out/targets.log"; exit 1; }

declare -A url
targets_in_order=()
while read -r name address; do
  case "$name" in upstream|yarp|sidecar*) url[$name]=$address; targets_in_order+=("$name") ;; esac
done <"$out/targets.log"

if $MODSECURITY; then
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  plain_port=$(free_port); modsecurity_port=$(free_port)
  upstream_hostport=$(echo "${url[upstream]}" | sed -E 's#^http://([^/]+)/.*#\1#')
  mkdir -p "$out/nginx"
  cp bench/modsecurity/modsecurity.conf "$out/nginx/modsecurity.conf"
  sed -e "s#@DIR@#$out/nginx#g" -e "s#@UPSTREAM@#$upstream_hostport#" \
      -e "s#@PORT_PLAIN@#$plain_port#" -e "s#@PORT_MODSECURITY@#$modsecurity_port#" \
      bench/modsecurity/nginx.conf.template >"$out/nginx/nginx.conf"
  nginx -t -q -c "$out/nginx/nginx.conf" -p "$out/nginx" -e "$out/nginx/error.log"
  # Not holding the targets' stdin (fd 3) open, or they would never see it close.
  nginx -c "$out/nginx/nginx.conf" -p "$out/nginx" -e "$out/nginx/error.log" 3>&- &
  nginx_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$modsecurity_port/api/items/1" 2>/dev/null && break
    sleep 0.2
  done
  # ModSecurity must be blocking, or its figure would be nginx's: a CRS PL1 attack must get 403.
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$modsecurity_port/api/items/1?id=1%27%20or%20%271%27=%271")
  [ "$status" = 403 ] || { echo "nginx + ModSecurity did not block a SQL injection (HTTP $status)" >&2; cat "$out/nginx/error.log" >&2; exit 1; }
  url[nginx]="http://127.0.0.1:$plain_port/api/items/1"; targets_in_order+=(nginx)
  url[nginx-modsecurity]="http://127.0.0.1:$modsecurity_port/api/items/1"; targets_in_order+=(nginx-modsecurity)
fi

for round in $(seq 1 "$ROUNDS"); do
  for target in "${targets_in_order[@]}"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-Api-Key: $KEY" "${url[$target]}" >"$out/$target.$round.txt"
    # Every response must be a 200, or the figures measure refusals.
    if grep -q "Non-2xx" "$out/$target.$round.txt"; then
      echo "$target answered non-2xx responses:" >&2; cat "$out/$target.$round.txt" >&2; exit 1
    fi
  done
done

python3 - "$out" "$ROUNDS" "${targets_in_order[@]}" <<'PY'
import re, statistics, sys
out, rounds, targets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {p: float(v) * unit[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    return rps, lat["50"], lat["99"]
rows = {}
for target in targets:
    runs = [parse(f"{out}/{target}.{r}.txt") for r in range(1, rounds + 1)]
    rows[target] = tuple(statistics.median(x[i] for x in runs) for i in range(3))
print(f"{'target':<20}{'req/s':>12}{'p50 ms':>10}{'p99 ms':>10}   (median of {rounds} rounds)")
for target, (rps, p50, p99) in rows.items():
    print(f"{target:<20}{rps:>12.0f}{p50:>10.2f}{p99:>10.2f}")
print(f"sidecar / bare YARP throughput: {rows['sidecar'][0] / rows['yarp'][0]:.3f}")
if "nginx-modsecurity" in rows:
    print(f"sidecar / nginx + ModSecurity throughput: {rows['sidecar'][0] / rows['nginx-modsecurity'][0]:.3f}")
PY
exec 3>&-
wait $targets || true
grep "sidecar telemetry" "$out/targets.log" || true
