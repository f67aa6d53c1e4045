import type { CapturedWork, DeviceCsr } from '../engine/backend';
import type { Engine } from '../engine/engine';
import { add, mse, mul } from '../engine/ops';
import type { Tensor } from '../engine/tensor';
import { Adam } from './adam';
import { klWeightAt, type VaeConfig } from './config';
import {
  disposeWeights,
  fromDeviceLayout,
  readWeights,
  toDeviceLayout,
  uploadTrainableArena,
  uploadWeights,
} from './device-weights';
import { EarlyStopping } from './early-stopping';
import { ModelInputError } from './errors';
import { evaluateModels, type Evaluation } from './evaluate';
import { initialWeights, PARAMETER_NAMES, type HostWeights, type ModelDims } from './parameters';
import { stackTasks, type TrainTask } from './train-inputs';
import type { TrainState } from './train-state';
import { encodeMean, predictTarget, type DeviceParameters } from './vae-forward';
import { smoothnessScale, vaeLoss, type LossTerms, type TrainingData } from './vae-loss';

/** The loss terms of one model at a logged epoch (each unweighted, plus the weighted total). */
export interface EpochLosses {
  epoch: number;
  /** mse(X, X̂) + β·KL + α·target + λ·smoothness, from this epoch's forward pass */
  total: number;
  reconstruction: number;
  kl: number;
  /** β in effect this epoch (after warm-up) */
  klWeight: number;
  target: number;
  smoothness: number;
  /** mse(y, ŷ = μ wy + by; validation mask) after this epoch's update, when a validation mask is given */
  validation?: number;
}

/** Reported every `logEvery` epochs (and at the last) with the losses of the models in this run. */
export interface EpochEvent {
  epoch: number;
  epochs: number;
  /** Index of this run's first task among all tasks (runs are chunks of at most maxBatch tasks). */
  firstTask: number;
  losses: EpochLosses[];
  /** Host time (ms) spent recording the epochs since the last event: tape, encoding, submit. */
  hostMs: number;
}

/** ŷ and μ of the models in this run in the middle of training (a forward pass without sampling, read back). */
export interface EpochPreview extends Evaluation {
  epoch: number;
  /** Index of this run's first task among all tasks. */
  firstTask: number;
}

/** Previews every `everyEpochs` epochs (each costs one forward pass and one readback). */
export interface PreviewOptions {
  everyEpochs: number;
  onPreview: (preview: EpochPreview) => void;
}

export interface RunResult extends Evaluation {
  history: EpochLosses[][];
  bestEpoch: number[];
  weights: HostWeights | null;
  /** Parameters and Adam moments after the last epoch, when asked for (keepState). */
  state: TrainState | null;
}

export interface RunInputs {
  engine: Engine;
  /** X for this run, [1|B, N, G] */
  x: Float32Array;
  xShape: readonly [number, number, number];
  laplacian: DeviceCsr;
  edgeCount: number;
  tasks: readonly TrainTask[];
  firstTask: number;
  config: VaeConfig;
  onEpoch: ((event: EpochEvent) => void) | undefined;
  preview: PreviewOptions | undefined;
  keepWeights: boolean;
  /** Go on from this state (its models are this run's tasks, in order) instead of initialising. */
  from?: TrainState;
  /** Read parameters and Adam moments back at the end, to go on from later. */
  keepState?: boolean;
}

/**
 * Trains B models as one batched workload. The first epoch's forward, backward and Adam step is
 * recorded through the autodiff tape and captured (webgpu); every later epoch writes its own
 * values (the random stream's step, β, Adam's bias corrections) and replays the captured kernels,
 * with no JavaScript per kernel. Losses are read back only at logged epochs. With validation
 * masks, the parameters at each model's best validation error are kept on the device and become
 * the result (predictions, μ and weights all come from them).
 */
export async function trainRun(inputs: RunInputs): Promise<RunResult> {
  const { engine, config, tasks } = inputs;
  const [, regions, genes] = inputs.xShape;
  const batch = tasks.length;
  const dims: ModelDims = { inputSize: genes, hiddenSize: config.hiddenSize, latentSize: config.latentSize };
  const initial =
    inputs.from?.weights ??
    initialWeights(
      dims,
      tasks.map((t) => t.seed),
    );
  const firstEpoch = (inputs.from?.epoch ?? 0) + 1;
  const stacked = stackTasks(tasks, regions);

  const { params, arena } = uploadTrainableArena(engine, initial);
  const paramList = arena.params;
  const data: TrainingData = {
    x: engine.tensor(inputs.x, inputs.xShape),
    y: engine.tensor(stacked.y, [batch, regions, 1]),
    trainMask: engine.tensor(stacked.trainMask, [batch, regions, 1]),
    laplacian: inputs.laplacian,
    edgeCount: inputs.edgeCount,
  };
  const validationMask = stacked.validationMask && engine.tensor(stacked.validationMask, [batch, regions, 1]);
  const stopping = validationMask && new EarlyStopping(batch, config.patience);
  let best = validationMask && uploadWeights(engine, initial, false);
  const adam = new Adam(arena, {
    learningRate: config.learningRate,
    beta1: config.beta1,
    beta2: config.beta2,
    epsilon: config.adamEpsilon,
    weightDecay: config.weightDecay,
  });
  if (inputs.from) adam.loadMoments(toDeviceLayout(inputs.from.m), toDeviceLayout(inputs.from.v));
  const seeds = Uint32Array.from(tasks, (t) => t.seed);
  const history: EpochLosses[][] = tasks.map(() => []);
  // per-epoch values the step reads on the device: the random stream's step and β
  const epochStep = engine.tensor(new Float32Array(1), [1]);
  const klWeight = engine.tensor(new Float32Array(1), [1]);
  const weights = { klWeight, alpha: config.alpha, lambda: config.lambda };
  const traceScale = smoothnessScale(data.edgeCount, config.latentSize);
  const trainingStep = (): LossTerms =>
    engine.tidy(() => {
      engine.zeroGrad(paramList);
      const terms = vaeLoss(params, data, config.activation, weights, { seeds, step: epochStep.raw });
      engine.backward(terms.total);
      adam.update();
      for (const t of Object.values(terms)) engine.keep(t);
      return terms;
    });
  // the step is captured once and replayed (webgpu); the cpu backend runs it each epoch
  let captured: CapturedWork | null = null;
  let terms: LossTerms | null = null;
  let hostMs = 0;

  try {
    for (let epoch = firstEpoch; epoch <= config.epochs; epoch++) {
      const logged = epoch % config.logEvery === 0 || epoch === config.epochs;
      const beta = klWeightAt(config, epoch);
      const recordStart = performance.now();
      epochStep.raw.backend.write(epochStep.raw, Float32Array.of(epoch));
      klWeight.raw.backend.write(klWeight.raw, Float32Array.of(beta));
      adam.setStep(epoch);
      if (captured) {
        captured.replay();
      } else {
        if (terms) disposeTerms(terms);
        let stepTerms: LossTerms | null = null;
        captured = engine.backend.capture(() => {
          stepTerms = trainingStep();
        });
        terms = stepTerms;
      }
      const validation =
        logged && validationMask
          ? engine.tidy(() =>
              engine.keep(
                engine.noGrad(() =>
                  mse(predictTarget(params, encodeMean(params, data.x, config.activation)), data.y, validationMask),
                ),
              ),
            )
          : null;
      engine.backend.flush();
      hostMs += performance.now() - recordStart;
      if (inputs.preview && epoch % inputs.preview.everyEpochs === 0) {
        const current = await evaluateModels(engine, params, data.x, config.activation);
        inputs.preview.onPreview({ epoch, firstTask: inputs.firstTask, ...current });
      }
      if (!logged) continue;

      const losses = await readLosses(terms!, validation, epoch, beta, traceScale);
      validation?.dispose();
      // a stopped model's history ends where it stopped, as it would have alone
      losses.forEach((entry, b) => {
        if (!stopping?.isStopped(b)) history[b]!.push(entry);
      });
      inputs.onEpoch?.({ epoch, epochs: config.epochs, firstTask: inputs.firstTask, losses, hostMs });
      hostMs = 0;
      const diverged = losses.findIndex((entry, b) => !Number.isFinite(entry.total) && !stopping?.isStopped(b));
      if (diverged >= 0) {
        throw new ModelInputError(
          `task ${inputs.firstTask + diverged}: loss is not finite at epoch ${epoch}; lower learningRate`,
        );
      }
      if (stopping && best) {
        const improved = stopping.observe(
          epoch,
          losses.map((entry) => entry.validation!),
        );
        if (improved.length > 0) best = keepImproved(engine, best, params, improved);
        if (stopping.allStopped) break;
      }
    }
    const final = best ?? params;
    const evaluation = await evaluateModels(engine, final, data.x, config.activation);
    const weights = inputs.keepWeights ? await readWeights(final, dims, batch) : null;
    return {
      ...evaluation,
      history,
      bestEpoch: stopping ? stopping.bestEpoch.slice() : tasks.map(() => config.epochs),
      weights,
      state: inputs.keepState ? await readState(params, adam, dims, batch, config.epochs) : null,
    };
  } finally {
    captured?.dispose();
    if (terms) disposeTerms(terms);
    epochStep.dispose();
    klWeight.dispose();
    adam.dispose();
    arena.dispose();
    if (best) disposeWeights(best);
    for (const t of [data.x, data.y, data.trainMask, ...(validationMask ? [validationMask] : [])]) t.dispose();
  }
}

/** The parameters as trained (not the early-stopping snapshot) and Adam's moments, on the host. */
async function readState(
  params: DeviceParameters,
  adam: Adam,
  dims: ModelDims,
  batch: number,
  epoch: number,
): Promise<TrainState> {
  const moments = await adam.readMoments();
  return {
    epoch,
    weights: await readWeights(params, dims, batch),
    m: fromDeviceLayout(moments.m, dims, batch),
    v: fromDeviceLayout(moments.v, dims, batch),
  };
}

function disposeTerms(terms: LossTerms): void {
  for (const t of Object.values(terms)) t.dispose();
}

/** The loss terms (and validation error) of this epoch, read back; the tensors stay (a replayed step rewrites them). */
async function readLosses(
  terms: LossTerms,
  validation: Tensor | null,
  epoch: number,
  klWeight: number,
  traceScale: number,
): Promise<EpochLosses[]> {
  const tensors = [
    terms.total,
    terms.reconstruction,
    terms.kl,
    terms.target,
    terms.laplacianTrace,
    ...(validation ? [validation] : []),
  ];
  const [total, reconstruction, kl, target, trace, validationValues] = await Promise.all(tensors.map((t) => t.read()));
  return Array.from(total!, (_, b) => ({
    epoch,
    total: total![b]!,
    reconstruction: reconstruction![b]!,
    kl: kl![b]!,
    klWeight,
    target: target![b]!,
    smoothness: trace![b]! * traceScale,
    ...(validationValues ? { validation: validationValues[b]! } : {}),
  }));
}

/**
 * New best snapshot: best ← best ⊙ (1 − s) + p ⊙ s with s[b] = 1 for improved models, 0 otherwise
 * (exact in float32: each model's block is either copied or left as it was).
 */
function keepImproved(
  engine: Engine,
  best: DeviceParameters,
  params: DeviceParameters,
  improved: number[],
): DeviceParameters {
  const batch = params['head.b'].shape[0]!;
  const take = new Float32Array(batch);
  for (const b of improved) take[b] = 1;
  const leave = take.map((s) => 1 - s);
  const next = engine.noGrad(() =>
    engine.tidy(() => {
      const takeT = engine.tensor(take, [batch, 1, 1]);
      const leaveT = engine.tensor(leave, [batch, 1, 1]);
      const entries = PARAMETER_NAMES.map((name) => {
        const merged = add(mul(best[name], leaveT), mul(params[name], takeT));
        engine.keep(merged);
        return [name, merged];
      });
      return Object.fromEntries(entries) as DeviceParameters;
    }),
  );
  disposeWeights(best);
  return next;
}
