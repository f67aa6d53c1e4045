// Activations fused into matmul and the elementwise kernels, and their derivatives written
// through the output y = act(x). The ACT_* codes are prepended by elementwise.ts from the ACTIVATIONS table
// (src/engine/activation.ts); needs unknown-op.wgsl.

// log(1 + u) for u ≥ 0, accurate for tiny u where 1 + u rounds to 1: u − u²/2 + u³/3 below 1e-3.
fn log1p_nonneg(u: f32) -> f32 {
  if (u < 1e-3) {
    return u * (1.0 - u * (0.5 - u / 3.0));
  }
  return log(1.0 + u);
}

fn activate(x: f32, act: u32) -> f32 {
  switch act {
    // relu: max(x, 0)
    case ACT_RELU: { return max(x, 0.0); }
    // tanh: x − x³/3 + 2x⁵/15 near 0 (the builtin loses relative accuracy there on some drivers);
    // it saturates to ±1 in float32 beyond |x| = 15, and clamping keeps exp inside tanh finite
    case ACT_TANH: {
      if (abs(x) < 0.05) {
        let x2 = x * x;
        return x * (1.0 - x2 * (1.0 / 3.0 - x2 * (2.0 / 15.0)));
      }
      return tanh(clamp(x, -15.0, 15.0));
    }
    // sigmoid: 1/(1+e^−x), as e^x/(1+e^x) for x < 0 so e^−x cannot overflow
    case ACT_SIGMOID: {
      let e = exp(-abs(x));
      return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
    }
    // softplus: log(1+e^x) = max(x,0) + log1p(e^−|x|)
    case ACT_SOFTPLUS: { return max(x, 0.0) + log1p_nonneg(exp(-abs(x))); }
    case ACT_NONE: { return x; }
    default: { return unknown_op(); }
  }
}

// act′(x) through y: relu 1[y>0]; tanh 1−y²; sigmoid y(1−y); softplus σ(x) = 1 − e^−y.
fn activation_derivative(y: f32, act: u32) -> f32 {
  switch act {
    case ACT_RELU: { return select(0.0, 1.0, y > 0.0); }
    case ACT_TANH: { return 1.0 - y * y; }
    case ACT_SIGMOID: { return y * (1.0 - y); }
    case ACT_SOFTPLUS: { return 1.0 - exp(-y); }
    case ACT_NONE: { return 1.0; }
    default: { return unknown_op(); }
  }
}
