#!/usr/bin/env bash
# The whole GPU check in one go, for a machine with a GPU and its Vulkan driver (GPU time is scarce:
# each step runs under its own time limit, at most 9 minutes in all):
#   1. the adapter (refused if it is a CPU adapter, unless GPU_CHECK_ALLOW_CPU=1);
#   2. every kernel against the cpu reference and training throughput for B = 1 … 4,096, with the
#      matmul at 4096³ and per-kernel profiles at B = 1 and 1,024 (bench --gpu; exits 1 on any
#      kernel outside its tolerance);
#   3. `reproduce` with its defaults (wall time);
#   4. the retrained spin nulls of the headline CV at 1,000 spins, the VAE at 500 epochs, 787 genes
#      (wall time);
#   5. a summary (summary.txt, summary.json) of the figures the README records.
#
# Usage, where the machine can reach the npm registry:   bash bench/gpu-check.sh [OUT]
# GPU_CHECK_QUICK=1 runs the same steps at smoke-test sizes (to try the script on a CPU adapter).
# For a machine without it, prepare here first:           bash bench/gpu-check.sh --prepare
#   which builds .gpu-check/ (dist/ and the two runtime packages, Linux x64 only, ~25 MB) to copy
#   beside the repository there; then run `bash bench/gpu-check.sh [OUT]` there.
set -euo pipefail
cd "$(dirname "$0")/.."
prepared=.gpu-check

if [ "${1:-}" = "--prepare" ]; then
  [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
  npm run build --silent
  rm -rf "$prepared" && mkdir -p "$prepared/node_modules/webgpu/dist"
  cp -r dist "$prepared/dist"
  cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$prepared/node_modules/webgpu/"
  cp -r node_modules/webgpu/dist/linux-x64 "$prepared/node_modules/webgpu/dist/"
  cp -r node_modules/wgsl_reflect "$prepared/node_modules/wgsl_reflect"
  du -sh "$prepared"
  exit 0
fi

out=$(realpath -m "${1:-gpu-check}")
mkdir -p "$out"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
if [ -d "$prepared/dist" ]; then
  dist="$prepared/dist"
else
  [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
  npm run build --silent
  dist=dist
fi
log() { printf 'gpu-check: %s\n' "$*" | tee -a "$out/log.txt" >&2; }
timed() { # name, limit in seconds, command…: runs it, keeps its output and wall time
  local name=$1 limit=$2; shift 2
  local start=$(date +%s%N) status=0
  timeout "$limit" "$@" >"$out/$name.out" 2>"$out/$name.err" || status=$?
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '{"step":"%s","status":%d,"seconds":%d.%03d}\n' "$name" "$status" $((ms / 1000)) $((ms % 1000)) >>"$out/steps.jsonl"
  log "$name: exit $status after $((ms / 1000)) s"
  return 0
}
: >"$out/steps.jsonl"

node "$dist/cli.js" info --json >"$out/info.json"
if [ "${GPU_CHECK_ALLOW_CPU:-0}" != 1 ] && grep -q '"cpuAdapter": true' "$out/info.json"; then
  log "the adapter is a CPU implementation, not a GPU: $(grep '"adapter"' "$out/info.json")"
  exit 2
fi
log "$(grep '"adapter"' "$out/info.json" | sed 's/^ *//')"

# time limits in seconds (bench, reproduce, null): the GPU's at most 9 minutes in all; the smoke run's
# sized for a CPU adapter, where `reproduce --quick` alone takes ≈ 8 minutes on 2 cores (lavapipe)
if [ "${GPU_CHECK_QUICK:-0}" = 1 ]; then
  sizes=(--quick) study=(--quick) null=(--epochs 5 --spins 4 --vae-spins 4) limits=(200 900 600)
else
  sizes=(--gpu) study=() null=(--epochs 500 --spins 1000 --vae-spins 1000) limits=(200 200 150)
fi
timed bench "${limits[0]}" node "$dist/bench.js" "${sizes[@]}" --no-peers --out "$out/bench" --json
timed reproduce "${limits[1]}" node "$dist/cli.js" reproduce --quiet --json --out "$out/reproduce" "${study[@]}"
# the headline CV with every model's spin null retrained on 1,000 spins (the VAE's: 2 splits + 1 in-sample refit each)
timed null-1000 "${limits[2]}" node "$dist/cli.js" evaluate --quiet --json --out "$out/null-1000" "${null[@]}" \
  --schemes hemisphere --vae-schemes none --seeds 1 --random-gene-sets 0 --vae-random-gene-sets 0

node --input-type=module - "$out" <<'EOF'
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const out = process.argv[2];
const quick = process.env.GPU_CHECK_QUICK === '1';
const read = (file) => (existsSync(`${out}/${file}`) ? readFileSync(`${out}/${file}`, 'utf8') : null);
const steps = Object.fromEntries(read('steps.jsonl').trim().split('\n').map((l) => JSON.parse(l)).map((s) => [s.step, s]));
const info = JSON.parse(read('info.json'));
let bench = null;
try { bench = JSON.parse(read('bench.out')); } catch { /* the step failed: its .err says why */ }
const cube = bench?.kernels.find((k) => k.group === 'matmul' && /^matmul 4096³/.test(k.name) && !/\] \[/.test(k.name));
const training = bench?.training.rows.filter((r) => r.backend === 'webgpu' && r.shape === 'paper' && r.status === 'ok') ?? [];
const epochMs = (b) => training.find((r) => r.batch === b)?.epoch.medianMs ?? null;
const summary = {
  adapter: info.webgpu.adapter ?? info.webgpu.unavailable,
  matmul4096: cube ? { gflops: cube.subjectGflops, fractionOfPeak: cube.fractionOfPeak, peak: bench.peak.source, withinTolerance: cube.withinTolerance } : null,
  kernelsOutOfTolerance: bench?.kernels.filter((k) => k.withinTolerance === false).map((k) => k.name) ?? null,
  throughput: training.map((r) => ({ batch: r.batch, epochMs: r.epoch.medianMs, modelsEpochsPerSecond: r.modelsEpochsPerSecond })),
  epochTimeRatio1024to1: epochMs(1024) && epochMs(1) ? epochMs(1024) / epochMs(1) : null,
  profiles: bench?.profiles.map((p) => ('reason' in p ? p : { batch: p.shape.batch, perEpoch: p.perEpoch, top: p.kernels.slice(0, 4).map((k) => `${k.kernel} ${(100 * k.share).toFixed(0)}%`) })) ?? null,
  reproduceSeconds: steps.reproduce?.status === 0 ? steps.reproduce.seconds : null,
  null1000Seconds: steps['null-1000']?.status === 0 ? steps['null-1000'].seconds : null,
  steps,
};
writeFileSync(`${out}/summary.json`, JSON.stringify(summary, null, 2) + '\n');
const f = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : Number(v).toFixed(d));
const lines = [
  `adapter: ${summary.adapter}`,
  summary.matmul4096
    ? `matmul 4096³: ${f(summary.matmul4096.gflops)} GFLOP/s = ${f(100 * (summary.matmul4096.fractionOfPeak ?? NaN))}% of ${summary.matmul4096.peak}`
    : 'matmul 4096³: not measured',
  `kernels outside tolerance: ${summary.kernelsOutOfTolerance === null ? 'n/a (bench failed)' : summary.kernelsOutOfTolerance.length === 0 ? 'none' : summary.kernelsOutOfTolerance.join(', ')}`,
  `training 66×787, models·epochs/s: ${summary.throughput.map((t) => `B=${t.batch} ${f(t.modelsEpochsPerSecond, 0)}`).join(', ') || 'n/a'}`,
  `epoch time B=1024 / B=1: ${f(summary.epochTimeRatio1024to1, 2)}`,
  quick
    ? `reproduce --quick: ${f(summary.reproduceSeconds, 0)} s; 4-spin retrained null, 5 epochs (smoke sizes): ${f(summary.null1000Seconds, 0)} s`
    : `reproduce (defaults): ${f(summary.reproduceSeconds, 0)} s; 1,000-spin retrained VAE null, 500 epochs: ${f(summary.null1000Seconds, 0)} s`,
];
writeFileSync(`${out}/summary.txt`, lines.join('\n') + '\n');
console.log(lines.join('\n'));
EOF
