/**
 * Differentiable functional ops. Each one runs a backend primitive and records its
 * vector–Jacobian product on its engine's tape (see engine.ts).
 */
export { matmul, type MatmulOpOptions } from './ops/matmul';
export { add, sub, mul, div, maximum, minimum } from './ops/binary';
export { scale, addScalar, neg, exp, log, sqrt, square, abs, relu, tanh, sigmoid, softplus } from './ops/unary';
export { sum, mean, reshape } from './ops/reduce';
export { laplacianSmoothness, reparameterize, mse, kl, weightedSum } from './ops/fused';
