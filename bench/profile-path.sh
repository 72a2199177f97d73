#!/usr/bin/env bash
# CPU profile of the sidecar's request path: the bench/sidecar-run.sh configuration (API key,
# rate limit, inspection, Kafka to a librdkafka mock cluster) pinned to CPU 0, an nginx backend
# and wrk on CPU 1, perf record -g on the sidecar for DURATION seconds of KIND (get|post) load.
# Output: bench/results/profile.KIND/perf.data and folded stacks (profile.folded) that
# bench/profile-steps.py turns into the per-step table. Loopback only; every process it starts
# is stopped by PID on exit.
#   KIND=get DURATION=10 WARM=6 INSPECTION=block PORT_PREFIX=77 bench/profile-path.sh   (WARM: 3 s load bursts first)
#   PEER=yarp profiles the shared harness's bare YARP baseline instead, on the same backend and load,
#   into bench/results/profile.KIND.yarp: the same tables for both tell what the sidecar adds.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${KIND:-get}; dur=${DURATION:-10}; p=${PORT_PREFIX:-77}; peer=${PEER:-sidecar}
out=$PWD/bench/results/profile.$kind; [ "$peer" = sidecar ] || out=$out.$peer
rm -rf "$out"; mkdir -p "$out/nginx"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
cat >"$out/nginx/backend.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1; daemon off; master_process on; pid $out/nginx/nginx.pid; error_log $out/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; server_tokens off; default_type application/json;
  keepalive_requests 1000000; keepalive_timeout 120s;
  client_body_temp_path $out/nginx/cb; proxy_temp_path $out/nginx/p; fastcgi_temp_path $out/nginx/f; uwsgi_temp_path $out/nginx/u; scgi_temp_path $out/nginx/s;
  client_body_buffer_size 64k; client_body_in_single_buffer on;
  server {
    listen 127.0.0.1:${p}00 backlog=4096;
    location ~ ^/api/items/(?<item>[0-9]+)\$ {
      return 200 '{"id":\$item,"name":"Item \$item","sku":"SKU-\$item","price":19.99,"currency":"EUR","stock":42,"tags":["bench","proxy","sample"],"updatedAt":"2024-05-01T12:00:00Z","description":"Fixed benchmark payload."}';
    }
    location = /api/orders { echo_read_request_body; echo -n \$request_body; }
    location / { return 404 '{"error":"not found"}'; }
  }
}
CONF
taskset -c 1 nginx -p "$out/nginx/" -e "$out/nginx/error.log" -c "$out/nginx/backend.conf" & pids+=($!)
perf_root=$PWD/bench/results/peers
dotnet build -c Release --artifacts-path "$perf_root/mockkafka-artifacts" -o "$perf_root/mockkafka" ../shared/bench/mockkafka -v quiet -nologo >/dev/null
taskset -c 1 "$perf_root/mockkafka/mockkafka" 3 >"$out/mockkafka.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do grep -q '^BOOTSTRAP=' "$out/mockkafka.log" && break; sleep 0.2; done
export KAFKA_BS=$(sed -n 's/BOOTSTRAP=//p' "$out/mockkafka.log")
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
if [ "$peer" = yarp ]; then
  yarp_bin=$perf_root/yarp-baseline-bin
  dotnet build -c Release --artifacts-path "$perf_root/yarp-artifacts" -o "$yarp_bin" ../shared/bench/yarp-baseline -v quiet -nologo >/dev/null
  ASPNETCORE_ENVIRONMENT=Production DOTNET_hostBuilder__reloadConfigOnChange=false \
  Kestrel__Endpoints__Http__Url=http://127.0.0.1:${p}10 \
  ReverseProxy__Clusters__backend__Destinations__d1__Address=http://127.0.0.1:${p}00/ \
    taskset -c 0 dotnet "$yarp_bin/yarp-baseline.dll" >"$out/sidecar.log" 2>&1 & sidecar=$!; pids+=($sidecar)
else
  BACKEND_URL=http://127.0.0.1:${p}00 SIDECAR_URL=http://127.0.0.1:${p}10 ADMIN_URL=http://127.0.0.1:${p}11 \
    taskset -c 0 bash bench/sidecar-run.sh >"$out/sidecar.log" 2>&1 & sidecar=$!; pids+=($sidecar)
fi
url=http://127.0.0.1:${p}10/api/items/1
for _ in $(seq 1 150); do curl -fs -o /dev/null -H 'X-Api-Key: bench-key-0123456789' "$url" && break; sleep 0.2; done
lua=""
if [ "$kind" = post ]; then
  url=http://127.0.0.1:${p}10/api/orders
  printf '%s\n' 'wrk.method="POST"' 'wrk.headers["Content-Type"]="application/json"' \
    'wrk.body="{\"customerId\":\"c-1042\",\"items\":[{\"sku\":\"SKU-1\",\"qty\":2},{\"sku\":\"SKU-7\",\"qty\":1}],\"shipping\":{\"method\":\"standard\",\"country\":\"DE\"},\"note\":\"leave at the door, ring twice please\",\"coupon\":\"SPRING24\"}"' >"$out/post.lua"
  lua="-s $out/post.lua"
fi
# Tiered JIT on one pinned core settles only in the gaps: load in bursts first.
for _ in $(seq 1 "${WARM:-6}"); do taskset -c 1 wrk -t1 -c32 -d3s $lua -H 'X-Api-Key: bench-key-0123456789' "$url" >/dev/null; sleep 2; done
taskset -c 1 wrk -t1 -c32 -d$((dur + 2))s --latency $lua -H 'X-Api-Key: bench-key-0123456789' "$url" >"$out/wrk.txt" &
wrkpid=$!
sleep 1
ticks() { awk '{print $14+$15}' /proc/$sidecar/stat; }
# CPU ticks of every thread (name:tid ticks): bench/profile-threads.py turns two snapshots into
# CPU us per request by thread kind, which perf's samples on this VM (no PMU) cannot give exactly.
threads() { python3 bench/profile-threads.py --snapshot "$sidecar"; }
gc() { curl -fs -H 'Authorization: Bearer bench-admin-token-0123456789' http://127.0.0.1:${p}11/metrics \
  | grep -E '^(dotnet_gc_collections|dotnet_gc_pause_time|dotnet_gc_heap_total_allocated)' || true; }
gc >"$out/gc.before"
threads >"$out/threads.before"
t0=$(ticks)
perf record -F 1999 -g -o "$out/perf.data" -p "$sidecar" -- sleep "$dur" 2>"$out/perf.log" >/dev/null
t1=$(ticks)
threads >"$out/threads.after"
gc >"$out/gc.after"
wait $wrkpid
cat "$out/wrk.txt"
# CPU per request over the profiled window, from the whole run's rate (wrk ran dur+2 s, perf dur s).
rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
awk -v a="$t0" -v b="$t1" -v d="$dur" -v r="$rps" -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "cpu_us_per_request=%.1f (cpu %.0f%% of a core, %s req/s)\n", (b-a)/hz/d*1e6/r, (b-a)/hz/d*100, r }' | tee "$out/cpu.txt"
perf script -i "$out/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null | python3 bench/profile-fold.py >"$out/profile.folded"
python3 bench/profile-threads.py "$out" "$dur" | tee "$out/threads.md"
echo "folded stacks: $out/profile.folded"
