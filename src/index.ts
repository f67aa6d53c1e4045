/// <reference types="@webgpu/types" preserve="true" />
/** cortex-vae as a library: the engine, the graph VAE, and the pipeline that feeds and evaluates it. */
export { Engine } from './engine/engine';
export { Tensor } from './engine/tensor';
export * as ops from './engine/ops';
export { CpuBackend } from './engine/cpu/backend';
export { WebGpuBackend, requestGpuBackend } from './engine/webgpu/index';
export { EngineError, KernelError, type Backend, type CsrMatrix, type RawTensor, type Shape } from './engine/backend';
export * from './model';
export { decoderLoadings } from './model/decoder-loadings';
export { buildDataset, laplacianCsr, laplacianDense, listTargets, formatDatasetSummary, type Dataset, type DatasetOptions } from './pipeline/data/dataset';
export { defaultDataDir } from './pipeline/data/data-folder';
export { fitGeneScaler } from './pipeline/data/scaling';
export { InputError } from './pipeline/input-error';
export { metricsOf, pearson, spearman, explainedVariance, rSquared, type FitMetrics } from './pipeline/evaluation/metrics';
export { crossValidate, type CrossValidationResult } from './pipeline/evaluation/cross-validate';
export * from './pipeline/evaluation/splits';
export { spinPermutations } from './pipeline/evaluation/spin';
export { spinNullFixed, spinNullRetrained } from './pipeline/evaluation/spin-null';
export { randomGeneNull } from './pipeline/evaluation/random-gene-null';
export type { BatchedRegressor, FitTask } from './pipeline/evaluation/models';
export { ridge } from './pipeline/evaluation/baselines/ridge';
export { pls } from './pipeline/evaluation/baselines/pls';
export { genePc1 } from './pipeline/evaluation/baselines/gene-pc1';
export { spatialOnly } from './pipeline/evaluation/baselines/spatial-only';
export { vaeRegressor } from './pipeline/evaluation/vae-regressor';
export { runStudy, type StudyResult } from './pipeline/study/run-study';
export { DEFAULT_STUDY_OPTIONS, type StudyOptions } from './pipeline/study/options';
export { writeReport } from './pipeline/report/html';
