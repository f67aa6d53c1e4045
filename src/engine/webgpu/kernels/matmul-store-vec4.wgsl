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

// A subgroup vec4 kernel's sums: acc[r][t] holds row row0 + r, lane's columns j0 … j0 + 3 of group t.
alias Tile4 = array<array<vec4<f32>, C4>, ROWS>;

// Stores a subgroup vec4 kernel's tile: lane's 4·C4 columns col0 + 4·(SG·t + lane) … + 3 (t < C4)
// in every row of the tile (ROWS from matmul-subgroups-rows.wgsl), those past C's edge dropped.
fn store_tile4(batch: u32, row0: u32, col0: u32, lane: u32, acc: ptr<function, Tile4>) {
  for (var t = 0u; t < C4; t++) {
    let j0 = col0 + 4u * (SG * t + lane);
    if (j0 >= params.n) { break; }
    for (var r = 0u; r < ROWS; r++) {
      let i = row0 + r;
      if (i >= params.rows) { break; }
      store_result4(batch, i, j0, (*acc)[r][t]);
    }
  }
}
