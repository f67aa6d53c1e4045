/**
 * Checkpoints: a saved and reloaded model predicts exactly what the trainer returned, and every
 * kind of damaged or mismatched file is refused with one line naming the file and the problem.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import { CHECKPOINT_VERSION, loadCheckpoint, saveCheckpoint } from '../src/model/checkpoint';
import { CheckpointError } from '../src/model/errors';
import { selectModels } from '../src/model/parameters';
import { predict, type VaeModel } from '../src/model/predict';
import { trainVae, type TrainVaeResult } from '../src/model/trainer';
import { maskWithout, plantedData } from './model-synthetic';

const N = 13;
const G = 7;
const data = plantedData(N, G, 8);
const provenance = { expression: 'synthetic planted programs, seed 8', target: 'mix of programs', note: 'ü ✓' };
let trained: TrainVaeResult;
let model: VaeModel;
let folder: string;
let goodBytes: Buffer;

beforeAll(async () => {
  trained = await trainVae({
    engine: new Engine(new CpuBackend()),
    X: data.x,
    xShape: [1, N, G],
    laplacian: data.laplacian,
    edgeCount: data.edgeCount,
    tasks: [
      { y: data.y, trainMask: maskWithout(N, [3]), seed: 10 },
      { y: data.y.map((v) => v * v), trainMask: maskWithout(N, [0, 12]), seed: 11 },
    ],
    config: { hiddenSize: 6, latentSize: 2, epochs: 30, logEvery: 10, activation: 'tanh' },
  });
  model = { config: trained.config, weights: trained.weights! };
  folder = await mkdtemp(join(tmpdir(), 'cortex-vae-ckpt-'));
  await saveCheckpoint(join(folder, 'good.ckpt'), model, provenance);
  goodBytes = await readFile(join(folder, 'good.ckpt'));
});

/** Writes `bytes` as a new checkpoint and returns the rejection message of loading it. */
async function rejection(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, bytes);
  const error = await loadCheckpoint(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message.startsWith(`checkpoint ${path}: `)).toBe(true);
  return message;
}

/** The file with its JSON header edited by `change` (header length and padding recomputed). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests reach into the JSON header's nested fields
function withHeader(change: (header: Record<string, any>) => void): Uint8Array {
  const headerBytes = goodBytes.readUInt32LE(12);
  const header = JSON.parse(goodBytes.subarray(16, 16 + headerBytes).toString('utf8'));
  change(header);
  const json = Buffer.from(JSON.stringify(header));
  const padded = Buffer.alloc(Math.ceil(json.length / 4) * 4, 0x20);
  json.copy(padded);
  const preamble = Buffer.from(goodBytes.subarray(0, 16));
  preamble.writeUInt32LE(padded.length, 12);
  return Buffer.concat([preamble, padded, goodBytes.subarray(16 + headerBytes)]);
}

describe('checkpoints', () => {
  it('round trip: a loaded batch predicts exactly what the trainer returned, with config and provenance', async () => {
    const loaded = await loadCheckpoint(join(folder, 'good.ckpt'));
    expect(loaded.provenance).toEqual(provenance);
    expect(loaded.model.config).toEqual(trained.config);
    expect(loaded.model.weights.tensors).toEqual(trained.weights!.tensors);
    const again = await predict(new Engine(new CpuBackend()), loaded.model, data.x, [1, N, G]);
    expect(again.predictions).toEqual(trained.predictions);
    expect(again.mu).toEqual(trained.mu);
  });

  it('one model picked from a batch saves and predicts on its own', async () => {
    const path = join(folder, 'second.ckpt');
    await saveCheckpoint(path, { config: model.config, weights: selectModels(model.weights, [1]) });
    const loaded = await loadCheckpoint(path);
    expect(loaded.model.weights.batch).toBe(1);
    expect(loaded.provenance).toEqual({});
    const again = await predict(new Engine(new CpuBackend()), loaded.model, data.x, [1, N, G]);
    expect(again.predictions).toEqual([trained.predictions[1]]);
  });

  it('writes atomically: no temporary file is left and a rewrite replaces the file whole', async () => {
    const path = join(folder, 'atomic.ckpt');
    await saveCheckpoint(path, model, { run: 1 });
    await saveCheckpoint(path, model, { run: 2 });
    expect((await loadCheckpoint(path)).provenance).toEqual({ run: 2 });
    expect((await readdir(folder)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('layout: magic, version, 4-aligned header length, float32 data', () => {
    expect(goodBytes.subarray(0, 8).toString('latin1')).toBe('CVAECKPT');
    expect(goodBytes.readUInt32LE(8)).toBe(CHECKPOINT_VERSION);
    expect(goodBytes.readUInt32LE(12) % 4).toBe(0);
    // 2 models · (7·6 + 6 + 2·(6·2 + 2) + 2·6 + 6 + 6·7 + 7 + 2 + 1) floats
    expect(goodBytes.length - 16 - goodBytes.readUInt32LE(12)).toBe(2 * 146 * 4);
  });

  it('rejects a missing file, wrong magic, truncation, another version and corruption', async () => {
    await expect(loadCheckpoint(join(folder, 'absent.ckpt'))).rejects.toThrow(
      /absent.ckpt: cannot be read \(ENOENT\); check the path/,
    );
    const wrongMagic = Buffer.from(goodBytes);
    wrongMagic.write('PK\x03\x04', 0, 'latin1');
    expect(await rejection('magic.ckpt', wrongMagic)).toMatch(/not a cortex-vae checkpoint \(magic "PK\?\?CKPT"/);
    expect(await rejection('tiny.ckpt', goodBytes.subarray(0, 10))).toMatch(/truncated: 10 bytes/);
    expect(await rejection('header-cut.ckpt', goodBytes.subarray(0, 40))).toMatch(
      /truncated: header of \d+ bytes runs past the end/,
    );
    expect(await rejection('data-cut.ckpt', goodBytes.subarray(0, goodBytes.length - 6))).toMatch(
      /truncated: 1162 data bytes of 1168/,
    );
    expect(await rejection('longer.ckpt', Buffer.concat([goodBytes, Buffer.from([1, 2, 3, 4])]))).toMatch(
      /4 unexpected bytes after the data/,
    );
    const version = Buffer.from(goodBytes);
    version.writeUInt32LE(CHECKPOINT_VERSION + 1, 8);
    expect(await rejection('version.ckpt', version)).toMatch(/format version 2, this build reads version 1/);
    const flipped = Buffer.from(goodBytes);
    flipped[goodBytes.length - 100]! ^= 0x40;
    expect(await rejection('flipped.ckpt', flipped)).toMatch(/corrupted data \(checksum mismatch\)/);
    const garbled = Buffer.from(goodBytes);
    garbled.write('}{', 16, 'latin1');
    expect(await rejection('garbled.ckpt', garbled)).toMatch(/corrupted header/);
  });

  it('rejects a header whose shapes or settings disagree with its config', async () => {
    expect(
      await rejection(
        'hidden.ckpt',
        withHeader((h) => (h.config.hiddenSize = 5)),
      ),
    ).toMatch(/sizes H=6, K=2 disagree with the config \(H=5, K=2\)/);
    expect(
      await rejection(
        'genes.ckpt',
        withHeader((h) => (h.dims.inputSize = 8)),
      ),
    ).toMatch(/parameter encoder.w1 has shape 2×7×6 but the config \(G=8, H=6, K=2, batch 2\) needs 2×8×6/);
    expect(
      await rejection(
        'batch.ckpt',
        withHeader((h) => (h.batch = 3)),
      ),
    ).toMatch(/parameter encoder.w1 has shape 2×7×6 but .* needs 3×7×6/);
    expect(
      await rejection(
        'names.ckpt',
        withHeader((h) => h.parameters.pop()),
      ),
    ).toMatch(/parameters \[.*head.w\] are not the graph VAE's/);
    expect(
      await rejection(
        'activation.ckpt',
        withHeader((h) => (h.config.activation = 'swish')),
      ),
    ).toMatch(/invalid config \(config.activation = 'swish' must be one of/);
    expect(
      await rejection(
        'inner-version.ckpt',
        withHeader((h) => (h.version = 7)),
      ),
    ).toMatch(/header says version 7 but the preamble says 1/);
  });

  it('predict refuses X with other genes than the model was trained on', async () => {
    await expect(
      predict(new Engine(new CpuBackend()), model, new Float32Array(N * (G + 1)), [1, N, G + 1]),
    ).rejects.toThrow(/X has 8 genes but the model was trained on 7/);
  });
});
