// Batched C[b] = act(op(A[b])·op(B[b]) + bias[b]) with shared-memory tiles, for real GPUs:
// a 16×16 workgroup computes a 64×64 tile of C, each thread a 4×4 block, stepping through K in
// slices of 16 that the workgroup first stages in workgroup memory (A 64×16, B 16×64).
// Element (i, k) of op(A) is a[a_batch + i·a_row + k·a_col]; likewise B (see matmul.ts).
// Needs elementwise-activation.wgsl (activate), matmul-interface.wgsl and matmul-store.wgsl prepended.

@group(0) @binding(1) var<storage, read> b: array<f32>;

const TILE: u32 = 64u;
const SLICE: u32 = 16u;
const BLOCK: u32 = 4u;

var<workgroup> a_tile: array<f32, 1024>; // [TILE rows][SLICE]
var<workgroup> b_tile: array<f32, 1024>; // [SLICE][TILE cols]

@compute @workgroup_size(16, 16)
fn matmul_tiled(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lane: vec3u,
                @builtin(local_invocation_index) thread: u32) {
  let tile_row = wg.y * TILE;
  let tile_col = wg.x * TILE;
  let batch = wg.z;
  let a_base = batch * params.a_batch;
  let b_base = batch * params.b_batch;

  var acc: array<array<f32, 4>, 4>;
  for (var k0 = 0u; k0 < params.k; k0 += SLICE) {
    // stage the slice: 1024 values per tile, 4 per thread; zeros outside A, B
    for (var l = 0u; l < 4u; l++) {
      let e = thread + l * 256u;
      let a_i = tile_row + e / SLICE;
      let a_k = k0 + e % SLICE;
      let a_inside = a_i < params.rows && a_k < params.k;
      let a_at = a_base + min(a_i, params.m - 1u) * params.a_row + min(a_k, params.k - 1u) * params.a_col;
      a_tile[e] = select(0.0, a_value(a[a_at], a_i), a_inside);
      let b_k = k0 + e / TILE;
      let b_j = tile_col + e % TILE;
      let b_inside = b_k < params.k && b_j < params.n;
      let b_at = b_base + min(b_k, params.k - 1u) * params.b_row + min(b_j, params.n - 1u) * params.b_col;
      b_tile[e] = select(0.0, b[b_at], b_inside);
    }
    workgroupBarrier();
    // acc[r][s] += Σ_kk A[row, k0+kk] · B[k0+kk, col] over the staged slice
    for (var kk = 0u; kk < SLICE; kk++) {
      var a_k: array<f32, 4>;
      var b_k: array<f32, 4>;
      for (var r = 0u; r < BLOCK; r++) {
        a_k[r] = a_tile[(lane.y * BLOCK + r) * SLICE + kk];
        b_k[r] = b_tile[kk * TILE + lane.x * BLOCK + r];
      }
      for (var r = 0u; r < BLOCK; r++) {
        for (var s = 0u; s < BLOCK; s++) {
          acc[r][s] = fma(a_k[r], b_k[s], acc[r][s]);
        }
      }
    }
    workgroupBarrier();
  }

  for (var r = 0u; r < BLOCK; r++) {
    let i = tile_row + lane.y * BLOCK + r;
    if (i >= params.rows) { break; }
    for (var s = 0u; s < BLOCK; s++) {
      let j = tile_col + lane.x * BLOCK + s;
      if (j >= params.n) { break; }
      store_result(batch, i, j, acc[r][s]);
    }
  }
}
