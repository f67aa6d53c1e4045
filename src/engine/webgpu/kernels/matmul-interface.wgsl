// The parameters and op(A) every matmul variant shares (matmul.ts fills them); each variant
// declares op(B)'s binding 1, `b`, itself, and the output bindings come with its store
// (matmul-store.wgsl, or matmul-store-vec4.wgsl for the vec4 kernel):
// op(A) is m×k, op(B) is k×n; element (i, k) of op(A) is a[a_batch·batch + i·a_row + k·a_col],
// likewise B; a batch stride of 0 broadcasts a batch-1 operand. bias is added when has_bias is 1,
// then the activation EPILOGUE_ACTIVATION (an ACT_* code of elementwise-activation.wgsl).
// With COLUMN_SUMS, op(A) gets an extra row m of ones, so row m of the product is 1ᵀ·op(B), the
// column sums of op(B); it goes to column_sums [batch, n] (rows = m + 1 rows are computed). In a
// weight gradient Xᵀ·P that row is the bias gradient Σ_rows P, for free.
// With ADDEND, C = act(op(A)·op(B) + bias) + addend ([batch, m, n]): a gradient gathered so far
// plus this product's share, with no add kernel of its own.
// EPILOGUE_ACTIVATION, COLUMN_SUMS and ADDEND are constants matmul.ts prepends, one pipeline per epilogue:
// chosen at run time, the epilogue cost small-K products more than their inner loop on lavapipe.

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
  rows: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(4) var<uniform> params: MatmulParams;

// Element (i, ·) of op(A) as loaded (at a row clamped to m − 1), or 1 on the extra row of ones.
fn a_value(loaded: f32, i: u32) -> f32 {
  if (COLUMN_SUMS) { return select(loaded, 1.0, i == params.m); }
  return loaded;
}
