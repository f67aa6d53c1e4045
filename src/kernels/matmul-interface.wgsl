// The bindings and parameters both matmul variants share (matmul.ts fills them):
// op(A) is m×k, op(B) is k×n; element (i, k) of op(A) is a[a_batch·batch + i·a_row + k·a_col],
// likewise B; a batch stride of 0 broadcasts a batch-1 operand. bias is added when has_bias is 1,
// then the activation with code `activation` (ACT_* from elementwise-activation.wgsl).

struct MatmulParams {
  m: u32,
  n: u32,
  k: u32,
  a_batch: u32,
  a_row: u32,
  a_col: u32,
  b_batch: u32,
  b_row: u32,
  b_col: u32,
  bias_batch: u32,
  has_bias: u32,
  activation: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> params: MatmulParams;
