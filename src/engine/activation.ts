/**
 * The fused activations in one table: act(x) and its derivative written through the output
 * y = act(x). The cpu backend and the model read it; the WGSL `ACT_*` codes come from its rows (the
 * WGSL side is `activate` / `activation_derivative` in elementwise-activation.wgsl).
 */
import { EngineError, type Activation } from './backend';
import { opCodes } from './op-codes';

export interface ActivationRule {
  /** act(x) in float64; softplus and sigmoid in their overflow-free forms. */
  readonly apply: (x: number) => number;
  /** act′(x) written in terms of y = act(x). */
  readonly derivativeFromOutput: (y: number) => number;
}

export const ACTIVATIONS: Readonly<Record<Activation, ActivationRule>> = {
  none: { apply: (x) => x, derivativeFromOutput: () => 1 },
  // max(x, 0); act′ = 1[y > 0]
  relu: { apply: (x) => (x > 0 ? x : 0), derivativeFromOutput: (y) => (y > 0 ? 1 : 0) },
  // tanh x; act′ = 1 − y²
  tanh: { apply: Math.tanh, derivativeFromOutput: (y) => 1 - y * y },
  // 1/(1+e^−x), written as e^x/(1+e^x) for x < 0 so e^−x cannot overflow; act′ = y(1 − y)
  sigmoid: {
    apply: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
    derivativeFromOutput: (y) => y * (1 - y),
  },
  // log(1+e^x) = max(x,0) + log1p(e^−|x|); act′ = σ(x) = 1 − e^−y
  softplus: {
    apply: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    derivativeFromOutput: (y) => -Math.expm1(-y),
  },
};

/** Each activation's `ACT_*` code in WGSL. */
export const ACTIVATION_CODES = opCodes(ACTIVATIONS);

/** The row of `activation`, after checking it is one. */
export function activationRule(activation: Activation): ActivationRule {
  if (!Object.hasOwn(ACTIVATIONS, activation)) {
    throw new EngineError(`unknown activation '${activation}'; use one of ${Object.keys(ACTIVATIONS).join(', ')}`);
  }
  return ACTIVATIONS[activation];
}

/** act(x) in float64. */
export function activate(activation: Activation, x: number): number {
  return ACTIVATIONS[activation].apply(x);
}

/** act′(x) through y = act(x). */
export function derivativeFromOutput(activation: Activation, y: number): number {
  return ACTIVATIONS[activation].derivativeFromOutput(y);
}
