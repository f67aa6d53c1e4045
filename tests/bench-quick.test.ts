/**
 * The benchmark suite end to end in --quick mode (tiny sizes, 1–2 samples): every kernel row is
 * timed and checked against the cpu reference, every peer runs the same cases (or says why not)
 * and each case has its cortex-vae / best peer ratio, the files are written and parse; plus the
 * pieces whose correctness the figures rest on (the sparse mesh Laplacian, the CPU projection; the
 * peers' math is in bench-peers.test.ts). No timing assertions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sparseNormalizedLaplacian, triangulatedGrid } from '../bench/graphs';
import { benchTable } from '../bench/report/text';
import { formatNumber } from '../src/pipeline/report/format';
import { runBench } from '../bench/run';
import { summarize } from '../bench/timing';
import { projectCpu } from '../bench/training';
import type { BenchResult, TrainingRow } from '../bench/types';
import { laplacianCsr } from '../src/pipeline/data/graph';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

describe('bench --quick', () => {
  let out: string;
  let result: BenchResult;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'cortex-bench-'));
    result = await runBench({ quick: true, out });
  }, 900_000);
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
        }
        expect(row.maxAbsError, what).not.toBeNull();
        expect(
          row.maxScaledError! <= row.tolerance,
          `${what}: scaled error ${row.maxScaledError} > ${row.tolerance}`,
        ).toBe(true);
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
    expect(
      matmuls.every(
        (r) => r.status === 'ok' && r.subjectGflops! > 0 && r.fractionOfPeak! > 0 && r.fractionOfPeak! <= 1,
      ),
    ).toBe(true);
  });

  it('pairs fused kernels with their unfused chains', () => {
    expect(result.fusion.map((f) => f.name)).toEqual(
      expect.arrayContaining(['Laplacian DK68 B=2', 'reparameterize B=2']),
    );
    for (const pair of result.fusion) {
      expect(pair.speedup === null ? Boolean(pair.reason) : pair.speedup > 0, pair.name).toBe(true);
    }
  });

  it('measures the fixed overheads', () => {
    const o = result.overheads;
    expect(o.reason).toBeUndefined();
    expect(Number.isFinite(o.emptyDispatchUs)).toBe(true);
    for (const t of [o.emptySubmit, o.roundTrip, o.compileEmpty, o.compileMatmul])
      expect(t!.medianMs).toBeGreaterThan(0);
  });

  it('times training on both backends, and model 0 has the same loss on both', () => {
    const ok = (backend: string, shape: string) =>
      result.training.rows.filter((r) => r.backend === backend && r.shape === shape && r.status === 'ok');
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

  it('runs every peer after cortex-vae on the same cases, each row timed and checked or saying why not', () => {
    expect(result.peers.map((p) => p.name)).toEqual([
      'tfjs-cpu',
      'tfjs-webgpu',
      'tfjs-wasm',
      'tfjs-wasm-single',
      'jax-wasm',
      'jax-webgpu',
      'onnxruntime-wasm',
    ]);
    const cases = ['matmul 128³', 'X·W1 B=1', 'VAE epoch shipped B=1', 'VAE epoch shipped B=4'];
    for (const peer of result.peers) {
      // every peer is a dev dependency and this machine has a (lavapipe) adapter: all of them start
      expect(peer.status, `${peer.name}: ${peer.reason}`).toBe('ok');
      const config = peer.config!;
      expect(config.backend.length, peer.name).toBeGreaterThan(0);
      expect(
        Object.values(config.packages).every((v) => v !== null),
        `${peer.name} package versions`,
      ).toBe(true);
      // a peer that times both layouts of B models (batched, loop) has two rows for B = 4
      expect([...new Set(peer.rows.map((r) => r.case))], peer.name).toEqual(cases);
      for (const row of peer.rows) {
        const what = `${peer.name} ${row.case}`;
        if (row.status !== 'ok') {
          expect(row.reason, what).toBeTruthy();
          continue;
        }
        expect(Number.isFinite(row.timing!.medianMs) && row.timing!.medianMs > 0, what).toBe(true);
        expect(Number.isFinite(row.cpuPerWall) && row.cpuPerWall! > 0, what).toBe(true);
        if (row.flops) {
          expect(row.withinTolerance, `${what}: scaled error ${row.maxScaledError}`).toBe(true);
          expect(Number.isFinite(row.gflops) && row.gflops! > 0, what).toBe(true);
        } else {
          expect(Number.isFinite(row.modelsEpochsPerSecond) && row.modelsEpochsPerSecond! > 0, what).toBe(true);
        }
      }
    }
    const byName = (name: string) => result.peers.find((p) => p.name === name)!;
    // the wasm peers compute on the threads they were given, as they report them
    for (const name of ['tfjs-wasm', 'jax-wasm', 'onnxruntime-wasm'])
      expect(byName(name).config!.threads, name).toBe(os.availableParallelism());
    expect(byName('tfjs-wasm-single').config!.threads).toBe(1);
    expect(byName('tfjs-wasm-single').config!.backend).toMatch(/tfjs-backend-wasm-simd\.wasm/);
    // every peer that trains times B = 4 in both layouts, one row each
    for (const name of ['tfjs-cpu', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-wasm-single', 'jax-wasm', 'jax-webgpu']) {
      const four = byName(name)
        .rows.filter((r) => r.case === 'VAE epoch shipped B=4')
        .map((r) => r.shape.split(', ')[1]);
      expect(new Set(four), name).toEqual(new Set(['batched', 'loop']));
    }
    // every matmul runs; onnxruntime-web does not train, jax-webgpu's epochs are skipped in --quick, each with the reason
    for (const peer of result.peers)
      expect(
        peer.rows.slice(0, 2).every((r) => r.status === 'ok'),
        peer.name,
      ).toBe(true);
    expect(
      byName('onnxruntime-wasm')
        .rows.slice(2)
        .map((r) => r.reason),
    ).toEqual([expect.stringMatching(/no training/), expect.stringMatching(/no training/)]);
    const jaxGpu = byName('jax-webgpu').rows.slice(2);
    const shipped = result.training.shapes.find((s) => s.name === 'shipped')!;
    const size = `${shipped.regions}×${shipped.genes}`;
    expect(jaxGpu.map((r) => r.shape)).toEqual([`B=1, ${size}`, `B=4, batched, ${size}`, `B=4, loop, ${size}`]);
    expect(jaxGpu.every((r) => r.status === 'skipped' && /--quick/.test(r.reason!))).toBe(true);
    // the others train B = 1; a larger B may be skipped when its projected time is over the budget (a loaded machine)
    for (const name of ['tfjs-cpu', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-wasm-single', 'jax-wasm']) {
      const [one, four] = byName(name).rows.slice(2);
      expect(one!.status, `${name}: ${one!.reason}`).toBe('ok');
      if (four!.status !== 'ok') expect(four!.reason, name).toMatch(/projected .* > budget/);
    }
  });

  it('gives every case cortex-vae / best peer, in the json, the table and the page', () => {
    expect(result.peerComparisons.map((c) => c.case)).toEqual([
      'matmul 128³',
      'X·W1 B=1',
      'VAE epoch shipped B=1',
      'VAE epoch shipped B=4',
    ]);
    for (const c of result.peerComparisons) {
      if (c.ratio === null) {
        // only B = 4 may be missing: skipped by cortex-vae or by every peer under its time budget
        expect(c.case, c.reason).toBe('VAE epoch shipped B=4');
        expect(c.reason).toMatch(/cortex-vae has no result|no peer ran/);
        continue;
      }
      expect(Number.isFinite(c.ratio) && c.ratio > 0, c.case).toBe(true);
      expect(c.ratio).toBeCloseTo(c.cortexVae! / c.bestPeer!.value, 10);
      const valueOf = (r: (typeof result.peers)[number]['rows'][number]) =>
        c.unit === 'GFLOP/s' ? (r.withinTolerance ? r.gflops : null) : r.modelsEpochsPerSecond;
      const best = result.peers
        .find((p) => p.name === c.bestPeer!.name)!
        .rows.find((r) => r.case === c.case && r.shape === c.bestPeer!.configuration)!;
      expect(c.bestPeer!.value).toBe(valueOf(best));
      // the best of every configuration of every peer, each of which keeps its own row
      const all = result.peers.flatMap((p) =>
        p.rows.filter((r) => r.case === c.case && r.status === 'ok').map((r) => valueOf(r) ?? 0),
      );
      expect(c.bestPeer!.value).toBe(Math.max(...all));
    }
    const table = benchTable(result);
    expect(table).toContain('cortex-vae / best peer');
    const lines = table.split('\n');
    for (const c of result.peerComparisons.filter((x) => x.ratio !== null))
      expect(
        lines.some((l) => l.startsWith(c.case) && l.includes(`${formatNumber(c.ratio!, 3)}×`)),
        c.case,
      ).toBe(true);
  });

  it('profiles a training configuration per kernel, shown in the page', () => {
    expect(result.profiles).toHaveLength(1);
    const profile = result.profiles[0]!;
    if ('reason' in profile) throw new Error(`profile missing: ${profile.reason}`);
    expect(profile.clock).toBe('timestamp-query');
    expect(profile.kernels.some((k) => k.kernel.startsWith('matmul') && k.gflops !== null && k.gflops > 0)).toBe(true);
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
    expect(page).toContain('cortex-vae against the best peer');
    expect(page.match(/<svg/g)!.length).toBeGreaterThanOrEqual(3);
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
    expect([t.medianMs, t.minMs, t.maxMs, t.q1Ms, t.q3Ms, t.samples, t.launchesPerSample]).toEqual([
      3, 1, 5, 2, 4, 5, 10,
    ]);
  });

  it('projects CPU cost along the line through B = 1 and B = 16', () => {
    const row = (batch: number, ms: number): TrainingRow => ({
      shape: 'shipped',
      backend: 'cpu',
      batch,
      status: 'ok',
      runs: 1,
      logEvery: 1,
      firstLoss: 1,
      modelsEpochsPerSecond: null,
      epoch: summarize([ms], 1),
    });
    const shape = { name: 'shipped' as const, regions: 1, genes: 1, hidden: 1, latent: 1, edges: 1, source: 'test' };
    const projected = projectCpu(shape, [row(1, 30), row(16, 330)], [1, 16, 64]);
    expect(projected.map((p) => [p.batch, p.basis])).toEqual([
      [1, 'measured'],
      [16, 'measured'],
      [64, 'extrapolated'],
    ]);
    // t(B) = 10 ms + 20 ms·B
    expect(projected[2]!.secondsPerEpoch).toBeCloseTo(1.29, 10);
    expect(projected[2]!.modelsEpochsPerSecond).toBeCloseTo(64 / 1.29, 10);
  });
});
