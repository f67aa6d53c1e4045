// y = f(x) elementwise, f chosen by params.op (UNARY_* codes prepended by elementwise.ts from the
// UNARY_OPS table, src/engine/unary-ops.ts); alpha is the scalar of scale (α·x) and addScalar
// (x + α). One lane per 4 elements (a tensor's storage is padded to whole vec4s). Needs
// elementwise-activation.wgsl and unknown-op.wgsl.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct UnaryParams {
  size: u32, // vec4s
  op: u32,
  alpha: f32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4f>;
@group(0) @binding(2) var<uniform> params: UnaryParams;

fn apply_unary(v: f32) -> f32 {
  switch params.op {
    case UNARY_SCALE: { return params.alpha * v; }
    case UNARY_ADD_SCALAR: { return v + params.alpha; }
    case UNARY_NEG: { return -v; }
    case UNARY_EXP: { return exp(v); }
    case UNARY_LOG: { return log(v); }
    case UNARY_SQRT: { return sqrt(v); }
    case UNARY_SQUARE: { return v * v; }
    case UNARY_ABS: { return abs(v); }
    case UNARY_RELU: { return activate(v, ACT_RELU); }
    case UNARY_TANH: { return activate(v, ACT_TANH); }
    case UNARY_SIGMOID: { return activate(v, ACT_SIGMOID); }
    case UNARY_SOFTPLUS: { return activate(v, ACT_SOFTPLUS); }
    default: { return unknown_op(); }
  }
}

@compute @workgroup_size(LANES)
fn unary(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
         @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  let v = x[i];
  y[i] = vec4f(apply_unary(v.x), apply_unary(v.y), apply_unary(v.z), apply_unary(v.w));
}
