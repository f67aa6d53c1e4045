// Batched C[b] = act(op(A[b])·op(B[b]) + bias[b]) without shared memory: each of the 8×8 threads
// of a workgroup keeps an 8×8 block of C in registers, so a workgroup covers a 64×64 tile of C.
// Fastest on CPU adapters (lavapipe), where workgroup barriers are costly.
// Element (i, k) of op(A) is a[a_batch + i·a_row + k·a_col]; likewise B with b_row, b_col, so
// transposes and batch-1 broadcast (batch stride 0) are strides set by matmul.ts.
// Needs elementwise-activation.wgsl (activate), matmul-interface.wgsl and matmul-store.wgsl prepended.

@group(0) @binding(1) var<storage, read> b: array<f32>;

const BLOCK: u32 = 8u;

@compute @workgroup_size(8, 8)
fn matmul_registers(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lane: vec3u) {
  let row0 = (wg.y * 8u + lane.y) * BLOCK;
  let col0 = (wg.x * 8u + lane.x) * BLOCK;
  if (row0 >= params.rows || col0 >= params.n) { return; }
  let batch = wg.z;
  let a_base = batch * params.a_batch;
  let b_base = batch * params.b_batch;

  // rows/columns past the edge of C repeat the last valid one; their results are never stored
  var a_offsets: array<u32, 8>;
  var b_offsets: array<u32, 8>;
  for (var r = 0u; r < BLOCK; r++) {
    a_offsets[r] = a_base + min(row0 + r, params.m - 1u) * params.a_row;
    b_offsets[r] = b_base + min(col0 + r, params.n - 1u) * params.b_col;
  }

  var acc: array<array<f32, 8>, 8>;
  for (var kk = 0u; kk < params.k; kk++) {
    var a_k: array<f32, 8>;
    var b_k: array<f32, 8>;
    for (var r = 0u; r < BLOCK; r++) {
      a_k[r] = a_value(a[a_offsets[r] + kk * params.a_col], row0 + r);
      b_k[r] = b[b_offsets[r] + kk * params.b_row];
    }
    // acc[r][s] += A[row0+r, k] · B[k, col0+s]
    for (var r = 0u; r < BLOCK; r++) {
      for (var s = 0u; s < BLOCK; s++) {
        acc[r][s] = fma(a_k[r], b_k[s], acc[r][s]);
      }
    }
  }

  for (var r = 0u; r < BLOCK; r++) {
    let i = row0 + r;
    if (i >= params.rows) { break; }
    for (var s = 0u; s < BLOCK; s++) {
      let j = col0 + s;
      if (j >= params.n) { break; }
      store_result(batch, i, j, acc[r][s]);
    }
  }
}
