// The output of the scalar matmul kernels, one element per store (see matmul-interface.wgsl).

@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(5) var<storage, read_write> column_sums: array<f32>;
@group(0) @binding(6) var<storage, read> addend: array<f32>;

// Writes the finished sum of row i, column j: C = act(sum + bias) for i < m (+ addend, rounded once
// more, with ADDEND), the column sum for i = m.
fn store_result(batch: u32, i: u32, j: u32, sum: f32) {
  if (COLUMN_SUMS && i == params.m) {
    column_sums[batch * params.n + j] = sum;
    return;
  }
  let shifted = sum + select(0.0, bias[batch * params.bias_batch + j], params.has_bias != 0u);
  let index = (batch * params.m + i) * params.n + j;
  var result = activate(shifted, EPILOGUE_ACTIVATION);
  if (ADDEND) { result = result + addend[index]; }
  c[index] = result;
}
