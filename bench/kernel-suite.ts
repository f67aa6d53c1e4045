/**
 * Every kernel case of a run, in table order, and the fused/unfused pairs among them.
 */
import type { Backend, CsrMatrix } from '../src/engine/backend';
import { laplacianCsr } from '../src/pipeline/data/graph';
import { activationGradCase, binaryCase, reduceCase, unaryCase } from './cases/elementwise';
import { adamCase, klCase, laplacianCase, mseCase, reparameterizeCase } from './cases/fused';
import { laplacianDenseChainCase, reparameterizeChainCase } from './cases/fusion';
import { cubeCases, modelMatmulCases } from './cases/matmul';
import { sparseNormalizedLaplacian, triangulatedGrid, type BenchGraph } from './graphs';
import type { KernelCase } from './kernel-case';
import type { BenchPlan } from './plan';

export interface KernelSuite {
  cases: KernelCase[];
  /** Fused row name → the unfused chain row it replaces. */
  pairs: { name: string; fused: string; unfused: string }[];
}

export function kernelSuite(plan: BenchPlan, subject: Backend | null, dk: BenchGraph): KernelSuite {
  const { regions: N, genes: G, hidden: H, latent: K } = plan.model;
  const cases: KernelCase[] = [];
  const pairs: KernelSuite['pairs'] = [];

  for (const B of plan.matmulBatches) cases.push(...modelMatmulCases(plan.model, B));
  cases.push(...cubeCases(plan.cube, subject));

  for (const B of plan.elementwiseBatches) {
    cases.push(
      unaryCase('exp', [B, N, H]),
      unaryCase('relu', [B, N, H]),
      binaryCase('add', [B, N, G], [B, 1, G], 'bias broadcast over regions'),
      binaryCase('mul', [B, N, K], [B, 1, 1], 'per-model scalar broadcast'),
      activationGradCase('relu', [B, N, H]),
      reduceCase('sum', [B, N, H], [1], 'bias gradient'),
      reduceCase('sum', [B, N, G], [0, 1], 'shared-bias gradient over models and regions'),
      reduceCase('sum', [B, N, G], [0, 1, 2], 'full reduction'),
      reduceCase('mean', [B, N, G], [0, 1, 2], 'full reduction'),
    );
  }

  const dkCsr: CsrMatrix = laplacianCsr(dk.graph, 'normalized');
  for (const B of plan.laplacianBatches) {
    const fused = laplacianCase('DK68', dkCsr, B, K);
    const chain = laplacianDenseChainCase('DK68', dk.graph, dkCsr, B, K, plan.maxDenseBytes);
    cases.push(fused, chain);
    pairs.push({ name: `Laplacian DK68 B=${B}`, fused: fused.name, unfused: chain.name });
  }
  const grid = triangulatedGrid(plan.denseGrid.rows, plan.denseGrid.cols);
  const gridName = `grid ${grid.n}`;
  const gridCsr = sparseNormalizedLaplacian(grid);
  const gridFused = laplacianCase(gridName, gridCsr, plan.denseGrid.batch, K);
  const gridChain = laplacianDenseChainCase(gridName, grid, gridCsr, plan.denseGrid.batch, K, plan.maxDenseBytes);
  cases.push(gridFused, gridChain);
  pairs.push({
    name: `Laplacian ${gridName} B=${plan.denseGrid.batch}`,
    fused: gridFused.name,
    unfused: gridChain.name,
  });

  const mesh = triangulatedGrid(plan.mesh.rows, plan.mesh.cols);
  const meshName = `mesh ${mesh.n}`;
  const meshCsr = sparseNormalizedLaplacian(mesh);
  for (const B of plan.mesh.batches) {
    const fused = laplacianCase(meshName, meshCsr, B, K);
    const chain = laplacianDenseChainCase(meshName, mesh, meshCsr, B, K, plan.maxDenseBytes);
    cases.push(fused, chain);
    pairs.push({ name: `Laplacian ${meshName} B=${B}`, fused: fused.name, unfused: chain.name });
  }

  for (const B of plan.samplingBatches) {
    const fused = reparameterizeCase(B, N, K);
    const chain = reparameterizeChainCase(B, N, K);
    cases.push(fused, chain);
    pairs.push({ name: `reparameterize B=${B}`, fused: fused.name, unfused: chain.name });
  }

  for (const B of plan.elementwiseBatches) {
    cases.push(mseCase(B, N, G, true, false), mseCase(B, N, 1, false, true), klCase(B, N, K));
  }
  for (const B of plan.adamBatches) cases.push(adamCase(`W1 B=${B}`, [B, G, H]));
  return { cases, pairs };
}
