/** The fused activations and their derivatives expressed through the output y = act(x). */
import type { Activation } from './backend';

/** act(x) in float64; softplus and sigmoid in their overflow-free forms. */
export function activate(activation: Activation, x: number): number {
  switch (activation) {
    case 'none':
      return x;
    case 'relu':
      return x > 0 ? x : 0;
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      // 1/(1+e^−x), written as e^x/(1+e^x) for x < 0 so e^−x cannot overflow
      return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case 'softplus':
      // log(1+e^x) = max(x,0) + log1p(e^−|x|)
      return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}

/**
 * act′(x) written in terms of y = act(x):
 * relu: 1[y>0]; tanh: 1−y²; sigmoid: y(1−y); softplus: σ(x) = 1 − e^−y.
 */
export function derivativeFromOutput(activation: Activation, y: number): number {
  switch (activation) {
    case 'none':
      return 1;
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'tanh':
      return 1 - y * y;
    case 'sigmoid':
      return y * (1 - y);
    case 'softplus':
      return -Math.expm1(-y);
  }
}
