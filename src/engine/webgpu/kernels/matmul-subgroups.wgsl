// Batched C[b] = act(op(A[b])·op(B[b]) + bias[b]) for CPU adapters with subgroups (lavapipe).
// There every lane loads from memory on its own (a divergent load is a loop over the lanes), so
// the kernel shares loads instead: a workgroup is one subgroup of SG lanes computing an
// (SG·QA) × (SG·C) tile of C. Lane l owns columns col0 + SG·c + l (c < C) and every row of the
// tile. Per step kk of the inner dimension each lane loads QA values of op(A) — rows
// row0 + SG·q + l — and subgroupShuffle hands each of them to all lanes, so one load serves SG
// lanes; each lane loads its own C values of op(B). Then, for lane l and t < C,
//   acc[SG·q + s][t] += A[row0 + SG·q + s, kk] · B[kk, col0 + SG·t + l].
// No shared memory and no barriers (costly on a CPU). Rows and columns past the edge of C repeat
// the last valid one and are never stored.
// SG, QA and C are constants prepended by matmul.ts; it also prepends elementwise-activation.wgsl
// (activate), matmul-interface.wgsl (params, op(A)), matmul-subgroups-rows.wgsl (ROWS, op(A)'s
// loads) and matmul-store.wgsl, and `enable subgroups;` first.

@group(0) @binding(1) var<storage, read> b: array<f32>;

@compute @workgroup_size(SG)
fn matmul_subgroups(@builtin(workgroup_id) wg: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
  let row0 = wg.y * ROWS;
  let col0 = wg.x * SG * C;
  let batch = wg.z;
  let a_base = batch * params.a_batch;
  let b_base = batch * params.b_batch;

  let a_offsets = a_row_offsets(a_base, row0, lane);
  var b_offsets: array<u32, C>;
  for (var t = 0u; t < C; t++) {
    b_offsets[t] = b_base + min(col0 + SG * t + lane, params.n - 1u) * params.b_col;
  }

  var acc: array<array<f32, C>, ROWS>;
  for (var kk = 0u; kk < params.k; kk++) {
    let a_k = a_step_values(a_offsets, kk, row0, lane);
    var b_k: array<f32, C>;
    for (var t = 0u; t < C; t++) { b_k[t] = b[b_offsets[t] + kk * params.b_row]; }
    for (var q = 0u; q < QA; q++) {
      for (var s = 0u; s < SG; s++) {
        let a_value = subgroupShuffle(a_k[q], s); // A[row0 + SG·q + s, kk], loaded by lane s
        for (var t = 0u; t < C; t++) {
          acc[SG * q + s][t] = fma(a_value, b_k[t], acc[SG * q + s][t]);
        }
      }
    }
  }

  for (var t = 0u; t < C; t++) {
    let j = col0 + SG * t + lane;
    if (j >= params.n) { break; }
    for (var r = 0u; r < ROWS; r++) {
      let i = row0 + r;
      if (i >= params.rows) { break; }
      store_result(batch, i, j, acc[r][t]);
    }
  }
}
