/**
 * The benchmark suite end to end in --quick mode (tiny sizes, 1–2 samples): every kernel row is
 * timed and checked against the cpu reference, the files are written and parse; plus the pieces
 * whose correctness the figures rest on (the tfjs peer's hand-written backward pass, the sparse
 * mesh Laplacian, the CPU projection). No timing assertions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOutputs } from '../bench/accuracy';
import { ringLattice, sparseNormalizedLaplacian, triangulatedGrid } from '../bench/graphs';
import { loadTfjs, useTfBackend } from '../bench/peers/tfjs-loader';
import { createTfVae, ENGINE_NAMES, type TfParameterName } from '../bench/peers/tfjs-vae';
import { runBench } from '../bench/run';
import { summarize } from '../bench/timing';
import type { TrainData } from '../bench/train-data';
import { projectCpu } from '../bench/training';
import type { BenchResult, TrainingRow } from '../bench/types';
import { CpuBackend } from '../src/engine/cpu/backend';
import { reparameterizeCpu } from '../src/engine/cpu/random';
import { Engine } from '../src/engine/engine';
import { PARAMETER_NAMES, type HostWeights, type ParameterName } from '../src/model';
import { uploadWeights } from '../src/model/device-weights';
import { vaeLoss } from '../src/model/vae-loss';
import { laplacianCsr } from '../src/pipeline/data/graph';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

describe('bench --quick', () => {
  let out: string;
  let result: BenchResult;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'cortex-bench-'));
    result = await runBench({ quick: true, out });
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('ran on a webgpu adapter and describes the machine', () => {
    expect(result.backend).toBe('webgpu');
    expect(result.machine.adapter).not.toBeNull();
    expect(result.machine.subjectBackend).toMatch(/^webgpu/);
    expect(result.machine.cpus.count).toBeGreaterThan(0);
    expect(result.machine.node).toBe(process.version);
  });

  it('times and checks every kernel row against the cpu reference', () => {
    expect(result.kernels.length).toBeGreaterThan(30);
    for (const row of result.kernels) {
      const what = `${row.name} ${row.shape}`;
      if (row.status === 'ok') {
        for (const t of [row.subject!, row.reference!]) {
          expect(Number.isFinite(t.medianMs) && t.medianMs > 0, what).toBe(true);
          expect(t.minMs <= t.medianMs && t.medianMs <= t.maxMs, what).toBe(true);
        }
        expect(row.maxAbsError, what).not.toBeNull();
        expect(row.maxScaledError! <= row.tolerance, `${what}: scaled error ${row.maxScaledError} > ${row.tolerance}`).toBe(true);
        expect(row.withinTolerance, what).toBe(true);
        expect(row.dispatches, what).toBeGreaterThan(0);
      } else if (row.status === 'unavailable') {
        // only a kernel that is not written yet may be missing; anything else is a failure
        expect(row.reason, what).toMatch(/not implemented/);
      } else {
        expect(row.reason, what).toMatch(/dense .* Laplacian needs/);
      }
    }
    const matmuls = result.kernels.filter((r) => r.group === 'matmul');
    // 11 model matmuls, and the cube through each variant the adapter runs (lavapipe: subgroups, registers, tiled)
    const variants = result.machine.subjectBackend.includes('matmul variant subgroups') ? 3 : 2;
    expect(matmuls.filter((r) => r.name.startsWith('matmul ')).length).toBe(variants);
    expect(matmuls.length).toBe(11 + variants);
    expect(matmuls.every((r) => r.status === 'ok' && r.subjectGflops! > 0 && r.fractionOfPeak! > 0 && r.fractionOfPeak! <= 1)).toBe(true);
  });

  it('pairs fused kernels with their unfused chains', () => {
    expect(result.fusion.map((f) => f.name)).toEqual(expect.arrayContaining(['Laplacian DK68 B=2', 'reparameterize B=2']));
    for (const pair of result.fusion) {
      expect(pair.speedup === null ? Boolean(pair.reason) : pair.speedup > 0, pair.name).toBe(true);
    }
  });

  it('measures the fixed overheads', () => {
    const o = result.overheads;
    expect(o.reason).toBeUndefined();
    expect(Number.isFinite(o.emptyDispatchUs)).toBe(true);
    for (const t of [o.emptySubmit, o.roundTrip, o.compileEmpty, o.compileMatmul]) expect(t!.medianMs).toBeGreaterThan(0);
  });

  it('times training on both backends, and model 0 has the same loss on both', () => {
    const ok = (backend: string, shape: string) => result.training.rows.filter((r) => r.backend === backend && r.shape === shape && r.status === 'ok');
    for (const shape of ['shipped', 'paper']) {
      expect(ok('webgpu', shape).length, shape).toBeGreaterThan(0);
      expect(ok('cpu', shape).length, shape).toBeGreaterThan(0);
    }
    for (const row of result.training.rows.filter((r) => r.status === 'ok')) {
      expect(row.epoch!.medianMs).toBeGreaterThan(0);
      expect(row.modelsEpochsPerSecond).toBeCloseTo(row.batch / (row.epoch!.medianMs / 1000), 6);
    }
    const gpu = ok('webgpu', 'shipped').find((r) => r.batch === 1)!;
    const cpu = ok('cpu', 'shipped').find((r) => r.batch === 1)!;
    expect(Math.abs(gpu.firstLoss! - cpu.firstLoss!) / Math.abs(cpu.firstLoss!)).toBeLessThan(1e-4);
    expect(result.training.cpuProjection.some((p) => p.shape === 'shipped')).toBe(true);
  });

  it('runs the tfjs peer on both of its backends, matmuls checked', () => {
    for (const name of ['tfjs-cpu', 'tfjs-webgpu']) {
      const peer = result.peers.find((p) => p.name === name)!;
      expect(peer.status, `${name}: ${peer.reason}`).toBe('ok');
      for (const row of peer.rows) {
        expect(row.status, `${name} ${row.workload}: ${row.reason}`).toBe('ok');
        expect(row.timing!.medianMs).toBeGreaterThan(0);
        if (row.flops) expect(row.withinTolerance, `${name} ${row.workload}`).toBe(true);
        else expect(row.modelsEpochsPerSecond).toBeGreaterThan(0);
      }
    }
  });

  it('profiles a training configuration per kernel, shown in the page', () => {
    expect(result.profiles).toHaveLength(1);
    const profile = result.profiles[0]!;
    if ('reason' in profile) throw new Error(`profile missing: ${profile.reason}`);
    expect(profile.clock).toBe('timestamp-query');
    expect(profile.kernels.some((k) => k.kernel.startsWith('matmul') && k.gflops !== null && k.gflops > 0)).toBe(true);
    expect(profile.kernels.reduce((s, k) => s + k.share, 0)).toBeCloseTo(1, 6);
    expect(readFileSync(result.files[2]!, 'utf8')).toContain('device time per epoch by kernel');
  });

  it('writes latest.json, a timestamped copy and latest.html', () => {
    expect(result.files).toHaveLength(3);
    const [latest, stamped, html] = result.files as [string, string, string];
    expect(JSON.parse(readFileSync(latest, 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
    expect(readFileSync(stamped, 'utf8')).toBe(readFileSync(latest, 'utf8'));
    expect(stamped).toMatch(/bench-\d{8}T\d{6}Z\.json$/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Training throughput against batch size');
    expect(page).toContain('Matmul GFLOP/s against the peak');
    expect(page.match(/<svg/g)!.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the tfjs peer computes the same loss and gradients as the engine', () => {
  it('matches the tape autodiff on a small model', async () => {
    const loaded = await loadTfjs();
    if ('reason' in loaded) throw new Error(loaded.reason);
    const { tf } = loaded;
    await useTfBackend(tf, 'cpu');
    const [N, G, H, K, B] = [10, 7, 8, 3, 2];
    const graph = ringLattice(N, 2);
    const random = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));
    const data: TrainData = {
      shape: { name: 'shipped', regions: N, genes: G, hidden: H, latent: K, edges: graph.edges.length, source: 'test' },
      x: random(N * G, 1), y: random(N, 2), laplacian: laplacianCsr(graph, 'normalized'),
    };
    const weights = { beta: 0.5, alpha: 2, lambda: 0.7 };
    const vae = createTfVae(tf, data, B, weights);
    const key = { seeds: Uint32Array.from([3, 9]), step: 5 };
    const eps = reparameterizeCpu({ data: new Float32Array(B * N * K), shape: [B, N, K] }, new Float32Array(B * N * K), key).eps;
    const { loss, gradients } = vae.lossAndGradients(tf.tensor3d(eps, [B, N, K]));

    const names = Object.keys(ENGINE_NAMES) as TfParameterName[];
    const tensors = {} as Record<ParameterName, Float32Array>;
    for (const name of names) tensors[ENGINE_NAMES[name]] = (await vae.parameters[name].data()) as Float32Array;
    const host: HostWeights = { batch: B, dims: { inputSize: G, hiddenSize: H, latentSize: K }, tensors };
    const engine = new Engine(new CpuBackend());
    const params = uploadWeights(engine, host, true);
    const terms = vaeLoss(params, {
      x: engine.tensor(data.x, [1, N, G]),
      y: engine.tensor(Float32Array.from({ length: B * N }, (_, i) => data.y[i % N]!), [B, N, 1]),
      trainMask: engine.fill([B, N, 1], 1),
      laplacian: engine.csr(data.laplacian),
      edgeCount: data.shape.edges,
    }, 'relu', { klWeight: weights.beta, alpha: weights.alpha, lambda: weights.lambda }, key);
    const expectedLoss = await terms.total.read();
    engine.backward(terms.total);

    expect(compareOutputs([(await loss.data()) as Float32Array], [expectedLoss]).maxScaledError).toBeLessThan(1e-5);
    expect(PARAMETER_NAMES.every((n) => params[n].grad !== null)).toBe(true);
    for (const name of names) {
      const expected = await params[ENGINE_NAMES[name]].grad!.read();
      const actual = (await gradients[name].data()) as Float32Array;
      const { maxScaledError } = compareOutputs([actual], [expected]);
      expect(maxScaledError, `gradient of ${ENGINE_NAMES[name]}`).toBeLessThan(1e-5);
      expect(expected.some((v) => Math.abs(v) > 1e-4), `gradient of ${ENGINE_NAMES[name]} is not trivially zero`).toBe(true);
    }
    vae.dispose();
  });
});

describe('bench helpers', () => {
  it('builds the same normalized Laplacian sparsely as the pipeline does densely', () => {
    const grid = triangulatedGrid(7, 5);
    expect(sparseNormalizedLaplacian(grid)).toEqual(laplacianCsr(grid, 'normalized'));
    const interior = sparseNormalizedLaplacian(triangulatedGrid(40, 40));
    const row = 20 * 40 + 20;
    expect(interior.rowPtr[row + 1]! - interior.rowPtr[row]!).toBe(7);
  });

  it('summarizes samples by median, extremes and quartiles', () => {
    const t = summarize([4, 1, 3, 2, 5], 10);
    expect([t.medianMs, t.minMs, t.maxMs, t.q1Ms, t.q3Ms, t.samples, t.launchesPerSample]).toEqual([3, 1, 5, 2, 4, 5, 10]);
  });

  it('projects CPU cost along the line through B = 1 and B = 16', () => {
    const row = (batch: number, ms: number): TrainingRow => ({
      shape: 'shipped', backend: 'cpu', batch, status: 'ok', runs: 1, logEvery: 1, firstLoss: 1, modelsEpochsPerSecond: null,
      epoch: summarize([ms], 1),
    });
    const shape = { name: 'shipped' as const, regions: 1, genes: 1, hidden: 1, latent: 1, edges: 1, source: 'test' };
    const projected = projectCpu(shape, [row(1, 30), row(16, 330)], [1, 16, 64]);
    expect(projected.map((p) => [p.batch, p.basis])).toEqual([[1, 'measured'], [16, 'measured'], [64, 'extrapolated']]);
    // t(B) = 10 ms + 20 ms·B
    expect(projected[2]!.secondsPerEpoch).toBeCloseTo(1.29, 10);
    expect(projected[2]!.modelsEpochsPerSecond).toBeCloseTo(64 / 1.29, 10);
  });
});
