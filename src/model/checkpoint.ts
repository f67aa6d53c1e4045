import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { checkConfig, type VaeConfig } from './config';
import { CheckpointError, ModelInputError } from './errors';
import { PARAMETER_NAMES, parameterSpecs, type HostWeights, type ModelDims, type ParameterName } from './parameters';
import type { VaeModel } from './predict';

/**
 * Checkpoint file layout (all integers little-endian):
 *   bytes 0–7    magic "CVAECKPT"
 *   bytes 8–11   uint32 format version
 *   bytes 12–15  uint32 header byte length h (JSON, space-padded so the data starts 4-aligned)
 *   bytes 16…    JSON header: version, config, batch, dims, parameters (name, shape, byteOffset),
 *                data byte length and FNV-1a checksum, the caller's provenance
 *   bytes 16+h…  float32 little-endian data, parameters back to back in header order
 */
export const CHECKPOINT_MAGIC = 'CVAECKPT';
/** The checkpoint format version this package writes and reads. */
export const CHECKPOINT_VERSION = 1;
const PREAMBLE_BYTES = 16;

interface ParameterEntry {
  name: ParameterName;
  /** [batch, rows, cols] */
  shape: [number, number, number];
  /** from the start of the data section */
  byteOffset: number;
}

interface CheckpointHeader {
  version: number;
  config: VaeConfig;
  batch: number;
  dims: ModelDims;
  parameters: ParameterEntry[];
  dataByteLength: number;
  /** FNV-1a 32-bit hash of the data section */
  dataChecksum: number;
  provenance: Record<string, unknown>;
}

/** A model read from a checkpoint, with the provenance saved beside it. */
export interface LoadedCheckpoint {
  model: VaeModel;
  provenance: Record<string, unknown>;
}

/** Writes the model to `path` atomically: a temporary file in the same folder, then a rename. */
export async function saveCheckpoint(
  path: string,
  model: VaeModel,
  provenance: Record<string, unknown> = {},
): Promise<void> {
  const bytes = encodeCheckpoint(model, provenance);
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Reads a model.ckpt file: the model and the provenance saved with it (a CheckpointError names what is wrong). */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      'check the path',
    );
  }
  return decodeCheckpoint(bytes, path);
}

/** A model and its provenance as the bytes of a model.ckpt file. */
export function encodeCheckpoint(model: VaeModel, provenance: Record<string, unknown>): Uint8Array {
  const { config, weights } = model;
  checkModel(model);
  const specs = parameterSpecs(weights.dims);
  let byteOffset = 0;
  const parameters = PARAMETER_NAMES.map((name): ParameterEntry => {
    const entry: ParameterEntry = { name, shape: [weights.batch, specs[name].rows, specs[name].cols], byteOffset };
    byteOffset += weights.tensors[name].length * 4;
    return entry;
  });
  const data = new Uint8Array(byteOffset);
  const view = new DataView(data.buffer);
  for (const { name, byteOffset: start } of parameters) {
    weights.tensors[name].forEach((value, i) => view.setFloat32(start + 4 * i, value, true));
  }
  const header: CheckpointHeader = {
    version: CHECKPOINT_VERSION,
    config,
    batch: weights.batch,
    dims: weights.dims,
    parameters,
    dataByteLength: data.length,
    dataChecksum: fnv1a(data),
    provenance,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 4) * 4;
  const file = new Uint8Array(PREAMBLE_BYTES + headerBytes + data.length);
  file.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  const fileView = new DataView(file.buffer);
  fileView.setUint32(8, CHECKPOINT_VERSION, true);
  fileView.setUint32(12, headerBytes, true);
  file.fill(0x20, PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes);
  file.set(json, PREAMBLE_BYTES);
  file.set(data, PREAMBLE_BYTES + headerBytes);
  return file;
}

/** Parses and validates a checkpoint; every problem is a one-line CheckpointError naming `path`. */
export function decodeCheckpoint(bytes: Uint8Array, path: string): LoadedCheckpoint {
  const fail = (problem: string, fix: string): never => {
    throw new CheckpointError(path, problem, fix);
  };
  const resave = 're-save it with cortex-vae or restore the original file';
  if (bytes.length < PREAMBLE_BYTES)
    fail(`truncated: ${bytes.length} bytes, shorter than the ${PREAMBLE_BYTES}-byte preamble`, resave);
  const magic = new TextDecoder('latin1').decode(bytes.subarray(0, 8));
  if (magic !== CHECKPOINT_MAGIC)
    fail(
      `not a cortex-vae checkpoint (magic "${printable(magic)}", expected "${CHECKPOINT_MAGIC}")`,
      'pass a file written by cortex-vae',
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) {
    fail(
      `format version ${version}, this build reads version ${CHECKPOINT_VERSION}`,
      'use the cortex-vae release that wrote it or retrain',
    );
  }
  const headerBytes = view.getUint32(12, true);
  const dataStart = PREAMBLE_BYTES + headerBytes;
  if (dataStart > bytes.length)
    fail(`truncated: header of ${headerBytes} bytes runs past the end of the ${bytes.length}-byte file`, resave);

  let header: CheckpointHeader;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, dataStart)),
    ) as CheckpointHeader;
  } catch (error) {
    return fail(`corrupted header (${(error as Error).message.split('\n')[0]})`, resave);
  }
  if (header.version !== CHECKPOINT_VERSION)
    fail(`header says version ${header.version} but the preamble says ${version}`, resave);
  const dataLength = bytes.length - dataStart;
  if (dataLength < header.dataByteLength)
    fail(`truncated: ${dataLength} data bytes of ${header.dataByteLength}`, resave);
  if (dataLength > header.dataByteLength)
    fail(`${dataLength - header.dataByteLength} unexpected bytes after the data`, resave);

  const data = bytes.subarray(dataStart);
  if (fnv1a(data) !== header.dataChecksum) fail('corrupted data (checksum mismatch)', resave);
  try {
    checkConfig(header.config);
  } catch (error) {
    if (error instanceof ModelInputError) fail(`invalid config (${error.message})`, resave);
    throw error;
  }
  const weights = readParameters(header, data, fail);
  return { model: { config: header.config, weights }, provenance: header.provenance };
}

/** Checks the header's parameter table against the config and copies the tensors out. */
function readParameters(
  header: CheckpointHeader,
  data: Uint8Array,
  fail: (problem: string, fix: string) => never,
): HostWeights {
  const { config, dims, batch } = header;
  if (dims.hiddenSize !== config.hiddenSize || dims.latentSize !== config.latentSize) {
    fail(
      `sizes H=${dims.hiddenSize}, K=${dims.latentSize} disagree with the config (H=${config.hiddenSize}, K=${config.latentSize})`,
      'the file is inconsistent; retrain',
    );
  }
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(dims.inputSize) || dims.inputSize < 1) {
    fail(
      `batch ${batch} and gene count ${dims.inputSize} must be positive integers`,
      'the file is inconsistent; retrain',
    );
  }
  const specs = parameterSpecs(dims);
  const names = header.parameters.map((p) => p.name).join(', ');
  if (names !== PARAMETER_NAMES.join(', '))
    fail(
      `parameters [${names}] are not the graph VAE's [${PARAMETER_NAMES.join(', ')}]`,
      'load it with the cortex-vae release that wrote it',
    );
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tensors = {} as Record<ParameterName, Float32Array>;
  let expectedOffset = 0;
  for (const { name, shape, byteOffset } of header.parameters) {
    const expected = [batch, specs[name].rows, specs[name].cols];
    if (shape.join('×') !== expected.join('×')) {
      fail(
        `parameter ${name} has shape ${shape.join('×')} but the config (G=${dims.inputSize}, H=${dims.hiddenSize}, K=${dims.latentSize}, batch ${batch}) needs ${expected.join('×')}`,
        'the file is inconsistent; retrain',
      );
    }
    if (byteOffset !== expectedOffset)
      fail(
        `parameter ${name} starts at byte ${byteOffset}, expected ${expectedOffset}`,
        'the file is inconsistent; retrain',
      );
    const values = new Float32Array(expected[0]! * expected[1]! * expected[2]!);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(byteOffset + 4 * i, true);
    tensors[name] = values;
    expectedOffset += values.length * 4;
  }
  if (expectedOffset !== data.length)
    fail(
      `parameters cover ${expectedOffset} bytes but the data section has ${data.length}`,
      'the file is inconsistent; retrain',
    );
  return { batch, dims, tensors };
}

function checkModel({ config, weights }: VaeModel): void {
  checkConfig(config);
  if (weights.dims.hiddenSize !== config.hiddenSize || weights.dims.latentSize !== config.latentSize) {
    throw new ModelInputError(
      `weights (H=${weights.dims.hiddenSize}, K=${weights.dims.latentSize}) do not match the config (H=${config.hiddenSize}, K=${config.latentSize}); save the config they were trained with`,
    );
  }
}

/** FNV-1a, 32 bits: h ← (h ⊕ byte) · 16777619, from 2166136261. */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

/** The magic as readable text for the error line. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
