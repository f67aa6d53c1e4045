/// <reference types="@webgpu/types" preserve="true" />
/**
 * cortex-vae as a library: the engine (tensors, autodiff, a CPU reference and a WebGPU backend), the
 * graph VAE trained on it, and the pipeline that feeds and evaluates it. ESM; the API reference is
 * docs/api.md, the setup (Node version, TypeScript `lib`, CommonJS) docs/package.md.
 */

// ---- the engine: tensors and autodiff on a backend ------------------------------------------------
export { Engine, type TapeEntry, type TensorOptions, type VectorJacobianProduct } from './engine/engine';
export type { GradientScope } from './engine/gradient-scope';
export { Tensor } from './engine/tensor';
/**
 * Differentiable ops (matmul, elementwise, reductions, fused losses): each runs a backend primitive and records
 * its VJP.
 */
export * as ops from './engine/ops';
export { CpuBackend } from './engine/cpu/backend';
export { WebGpuBackend, requestGpuBackend, type GpuBackendRequest, type WebGpuOptions } from './engine/webgpu/index';
export {
  EngineError,
  KernelError,
  type Activation,
  type AddendOption,
  type AdamHyper,
  type AdamSettings as AdamKernelSettings,
  type AdamStep,
  type AdamTensors,
  type Backend,
  type BinaryOp,
  type CapturedWork,
  type ColumnSumsOptions,
  type CsrMatrix,
  type DeviceCsr,
  type MatmulOptions,
  type OutputOption,
  type RandomKey,
  type RawTensor,
  type ReduceOp,
  type ReparameterizeGathered,
  type Shape,
  type UnaryOp,
} from './engine/backend';
export { ParameterArena } from './engine/parameter-arena';
// what a WebGpuBackend exposes to code that records its own kernels or reads its profile
export type { Binding, DispatchCost } from './engine/webgpu/command-recorder';
export type { KernelTiming, ProfileClock } from './engine/webgpu/dispatch-profiler';
export type { GpuStorage, GpuTensor } from './engine/webgpu/gpu-tensor';
export type { KernelContext } from './engine/webgpu/kernel-context';
export type { KernelSpec, ParamValues } from './engine/webgpu/kernels/kernel-registry';
export type { MatmulVariant } from './engine/webgpu/kernels/matmul';

// ---- the graph VAE --------------------------------------------------------------------------------
export * from './model';
export { Adam, type AdamSettings } from './model/adam';
export { decoderLoadings } from './model/decoder-loadings';

// ---- data: files or arrays → a Dataset -------------------------------------------------------------
export { DK68_REGIONS, hemisphereOf, lobeOf, type Hemisphere, type Lobe } from './pipeline/atlas';
export {
  buildDataset,
  laplacianCsr,
  laplacianDense,
  listTargets,
  formatDatasetSummary,
  type Dataset,
  type DatasetOptions,
} from './pipeline/data/dataset';
export { datasetFromArrays, type DatasetArrays } from './pipeline/data/dataset-from-arrays';
export type { AdjacencySource, EdgeWeighting, LaplacianKind, RegionGraph } from './pipeline/data/graph';
export type { TargetSpec } from './pipeline/data/targets';
export { defaultDataDir } from './pipeline/data/data-folder';
export { fitGeneScaler, type FittedScaler, type GeneScalingKind } from './pipeline/data/scaling';
export { geneMatrix, type GeneMatrix } from './pipeline/data/gene-matrix';
export { InputError } from './pipeline/input-error';

// ---- evaluation: metrics, splits, nulls, baselines --------------------------------------------------
export {
  metricsOf,
  pearson,
  spearman,
  explainedVariance,
  rSquared,
  summarize,
  type FitMetrics,
  type Summary,
  type Vector,
} from './pipeline/evaluation/metrics';
export {
  crossValidate,
  crossValidateWithFit,
  type CrossValidateOptions,
  type CrossValidationResult,
} from './pipeline/evaluation/cross-validate';
export * from './pipeline/evaluation/splits';
export { spinPermutations, spinPValue, type SpinOptions } from './pipeline/evaluation/spin';
export {
  spinNullFixed,
  spinNullRetrained,
  type NullStatistic,
  type SpinNullOptions,
  type SpinNullResult,
} from './pipeline/evaluation/spin-null';
export { randomGeneNull, type RandomGeneNullOptions } from './pipeline/evaluation/random-gene-null';
export type { BatchedRegressor, BatchFit, FitTask, GridEdge } from './pipeline/evaluation/models';
export type { GeneScaling, InnerSplitter } from './pipeline/evaluation/kernel-fold';
export type { LearningCurve } from './pipeline/evaluation/learning-curves';
export { ridge, type RidgeFit, type RidgeOptions } from './pipeline/evaluation/baselines/ridge';
export { pls, type PlsFit, type PlsOptions } from './pipeline/evaluation/baselines/pls';
export { genePc1 } from './pipeline/evaluation/baselines/gene-pc1';
export { spatialOnly, type SpatialOnlyOptions } from './pipeline/evaluation/baselines/spatial-only';
export {
  vaeRegressor,
  type VaeFit,
  type VaeRegressor,
  type VaeRegressorOptions,
} from './pipeline/evaluation/vae-regressor';
export type { TuningSettings } from './pipeline/evaluation/tuned-vae-regressor';
export type { TuningSearch } from './pipeline/evaluation/successive-halving';

// ---- the study: everything `cortex-vae evaluate` computes, as one call ---------------------------------
export { runStudy } from './pipeline/study/run-study';
export type {
  CvEntry,
  ModelDiagnostics,
  ModelMetrics,
  NullEntry,
  StageProgress,
  StudyCheckpoints,
  StudyInputs,
  StudyResult,
  TuningRecord,
} from './pipeline/study/run-study';
export type { CountedP, GeneContribution, GridEdgeHits, NullFamily } from './pipeline/study/types';
export {
  DEFAULT_STUDY_OPTIONS,
  type CvScheme,
  type GeneSetSpec,
  type IntervalOptions,
  type StudyOptions,
  type StudyTuning,
} from './pipeline/study/options';
export type { LatentProgramSummary } from './pipeline/study/latent-programs';
export type { NullCheckpoints } from './pipeline/study/null-runner';
export type { IntervalCoverage, IntervalPoint, PredictiveIntervals } from './pipeline/study/predictive-intervals';
export type { GeneSetData, SensitivityRow } from './pipeline/study/sensitivity';
export type { NullJobInfo, RetrainedNullKind } from './pipeline/study/study-nulls';

// ---- the report ----------------------------------------------------------------------------------
export { writeReport } from './pipeline/report/html';
export { loadDkOutlines, type DkOutlines, type OutlineShape } from './pipeline/report/dk-outlines';
export type { ColourMapName } from './pipeline/report/colormaps';
export type { FolderContents } from './pipeline/report/atomic-dir';
export type * from './pipeline/report/types';
