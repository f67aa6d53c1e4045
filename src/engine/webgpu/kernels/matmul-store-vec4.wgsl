// The output of the vec4 matmul kernel, four columns per store: n is a multiple of 4 there, so
// every row of C, of bias and of column_sums starts on a vec4 (see matmul-interface.wgsl). On
// lavapipe a store is a loop over the lanes, so this quarters the epilogue's cost, which for a
// small-K product such as a weight gradient Xᵀ·P (K = 66 regions) is a large share of the time.

@group(0) @binding(2) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> c: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> column_sums: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> addend: array<vec4<f32>>;

// Writes the finished sums of row i, columns j0 … j0 + 3 (j0 a multiple of 4): C = act(sum + bias)
// for i < m (+ addend, rounded once more, with ADDEND), the column sums for i = m.
fn store_result4(batch: u32, i: u32, j0: u32, sum: vec4<f32>) {
  if (COLUMN_SUMS && i == params.m) {
    column_sums[(batch * params.n + j0) / 4u] = sum;
    return;
  }
  let shifted = sum + select(vec4(0.0), bias[(batch * params.bias_batch + j0) / 4u], params.has_bias != 0u);
  var result: vec4<f32>;
  for (var e = 0u; e < 4u; e++) { result[e] = activate(shifted[e], EPILOGUE_ACTIVATION); }
  let index = ((batch * params.m + i) * params.n + j0) / 4u;
  if (ADDEND) { result = result + addend[index]; }
  c[index] = result;
}
