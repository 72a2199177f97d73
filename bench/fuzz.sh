#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser with SharpFuzz + AFL++ (Debian package afl++), each
# harness of tests/Fuzz for a bounded time, under nice -n 19.
#
#   bench/fuzz.sh                  # every harness, 10 minutes each, one after the other
#   bench/fuzz.sh 60               # 60 seconds each
#   bench/fuzz.sh 600 json xml     # only these harnesses
#   FUZZ_JOBS=3 bench/fuzz.sh      # three harnesses at a time (each still gets its full duration)
#   FUZZ_OUT=/tmp/fuzz             # where the build, the AFL state and the summary go (outside git)
#   FUZZ_TIMEOUT_MS=5000           # an execution slower than this is a hang
#
# Seeds: tests/Fuzz/corpora/<harness> (small, hand-written), plus a few lines of the public
# corpora in ../shared/corpora for the request harnesses when they are there (read, never
# copied into the repository). Findings land in $FUZZ_OUT/<harness>/default/{crashes,hangs};
# replay one with: dotnet $FUZZ_OUT/bin/Analytics.Fuzz.dll <harness> --replay <file>
# Each crash or hang becomes a regression test with its fix (see docs/security.md, Fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-600}
shift || true
out=${FUZZ_OUT:-/tmp/analytics-fuzz}
jobs=${FUZZ_JOBS:-1}
timeout_ms=${FUZZ_TIMEOUT_MS:-5000}

command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install -y afl++" >&2; exit 1; }
mkdir -p "$out"

# Build (a normal build, not niced: only the fuzzing is a long job), then instrument our own assemblies in the output (SharpFuzz rewrites them in place).
rm -rf "$out/bin"
dotnet publish tests/Fuzz -c Release -o "$out/bin" -v quiet -nologo >/dev/null
(cd tests/Fuzz && dotnet tool restore >/dev/null)
for dll in "$out"/bin/Analytics.*.dll; do
  case "$(basename "$dll")" in
    Analytics.Fuzz.dll|Analytics.ServiceDefaults.dll|Analytics.Search.dll) continue ;;
  esac
  (cd tests/Fuzz && dotnet tool run sharpfuzz "$dll" >/dev/null)
done

if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(dotnet "$out/bin/Analytics.Fuzz.dll" --list); fi

# A few public requests as extra seeds, written in the inspection harness's text form.
shared_seeds() {
  local harness=$1 dir=$2
  local corpus=$root/../shared/corpora
  [ "$harness" = inspection ] || [ "$harness" = normalizer ] || return 0
  [ -d "$corpus" ] || return 0
  python3 - "$harness" "$dir" "$corpus" <<'PY' || true
import gzip, json, sys, os
harness, out, corpus = sys.argv[1:]
picked = {}
for name in ("payloads_patt.jsonl.gz", "payloads_libinjection.jsonl.gz", "csic2010-dev.jsonl.gz"):
    path = os.path.join(corpus, name)
    if not os.path.exists(path):
        continue
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            cls = r.get("attack_class") or r.get("label")
            if picked.get(cls, 0) >= 2:
                continue
            picked[cls] = picked.get(cls, 0) + 1
            if harness == "normalizer":
                data = b"\x00" + r["uri"].encode("utf-8", "replace")
            else:
                head = f'{r["method"]} {r["uri"]}\n' + "".join(f"{k}: {v}\n" for k, v in (r.get("headers") or {}).items())
                data = (head + "\n" + (r.get("body") or "")).encode("utf-8", "replace")
            open(os.path.join(out, f"shared-{cls}-{picked[cls]}"), "wb").write(data[:4096])
PY
}

run_one() {
  local t=$1
  local state=$out/$t
  rm -rf "$state"
  mkdir -p "$state/seeds"
  cp tests/Fuzz/corpora/"$t"/* "$state/seeds/"
  shared_seeds "$t" "$state/seeds"
  local started=$(date +%s)
  # Stock AFL++ settings for a managed target: no compiled-in instrumentation to check for, a
  # slow .NET start, no CPU pinning on a shared machine; -V bounds the run.
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_FORKSRV_INIT_TMOUT=120000 \
    nice -n 19 afl-fuzz -i "$state/seeds" -o "$state" -t "$timeout_ms" -m none -V "$seconds" \
      -- dotnet "$out/bin/Analytics.Fuzz.dll" "$t" >"$state/afl.log" 2>&1 || echo "$t: afl-fuzz exited $? (see $state/afl.log)" >&2
  local stats=$state/default/fuzzer_stats
  if [ -f "$stats" ]; then
    local get; get() { awk -F' *: *' -v k="$1" '$1==k {print $2}' "$stats"; }
    printf '%s\t%s\t%s\t%s\t%s/%s\t%s\t%s\t%s\t%s\n' "$t" "$(( $(date +%s) - started ))" "$(get execs_done)" "$(get execs_per_sec)" \
      "$(get edges_found)" "$(get total_edges)" "$(get corpus_count)" "$(get saved_crashes)" "$(get saved_hangs)" "$(get bitmap_cvg)" >>"$out/summary.tsv"
  else
    printf '%s\t%s\tno stats (afl-fuzz did not start, see %s)\n' "$t" "$(( $(date +%s) - started ))" "$state/afl.log" >>"$out/summary.tsv"
  fi
}

printf 'harness\tseconds\texecs\texecs_per_sec\tedges\tcorpus\tcrashes\thangs\tbitmap\n' >"$out/summary.tsv"
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
column -t -s $'\t' "$out/summary.tsv"
