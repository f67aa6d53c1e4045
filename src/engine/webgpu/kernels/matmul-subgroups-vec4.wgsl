// The subgroup matmul of matmul-subgroups.wgsl with op(B) read as vec4: for products whose op(B)
// rows are whole vec4s (B not transposed, n a multiple of 4, so every row and batch starts on a
// vec4). On lavapipe each load is a loop over the lanes, so one vec4 load bringing 4 columns costs
// far less than 4 scalar loads; with the vec4 stores of matmul-store-vec4.wgsl it runs the VAE's
// products 1.2–1.8× faster than the scalar kernel (`bench --profile --shape paper --batch 64`).
// A workgroup is one subgroup of SG lanes computing an (SG·QA) × (SG·4·C4) tile of C. Lane l owns
// the 4·C4 columns col0 + 4·(SG·t + l) + e (t < C4, e < 4) and every row of the tile. Per step kk
// each lane loads QA values of op(A) — rows row0 + SG·q + l — shared with all lanes by
// subgroupShuffle, and C4 vec4s of op(B) for its own columns; then, for lane l,
//   acc[SG·q + s][t] += A[row0 + SG·q + s, kk] · B[kk, col0 + 4·(SG·t + l) .. + 3].
// Rows and column groups past the edge of C repeat the last valid one and are never stored.
// SG, QA and C4 are constants prepended by matmul.ts, with elementwise-activation.wgsl,
// matmul-interface.wgsl, matmul-subgroups-rows.wgsl and matmul-store-vec4.wgsl (store_tile4), and
// `enable subgroups;` first.

@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;

@compute @workgroup_size(SG)
fn matmul_subgroups_vec4(@builtin(workgroup_id) wg: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
  let row0 = wg.y * ROWS;
  let col0 = wg.x * SG * 4u * C4;
  let batch = wg.z;
  let a_base = batch * params.a_batch;
  // in vec4s: B's batch stride and row stride are multiples of 4 (matmul.ts checks)
  let b_base = batch * params.b_batch / 4u;
  let b_row4 = params.b_row / 4u;

  let a_offsets = a_row_offsets(a_base, row0, lane);
  var b_offsets: array<u32, C4>;
  for (var t = 0u; t < C4; t++) {
    b_offsets[t] = b_base + min(col0 + 4u * (SG * t + lane), params.n - 4u) / 4u;
  }

  var acc: Tile4;
  for (var kk = 0u; kk < params.k; kk++) {
    let a_k = a_step_values(a_offsets, kk, row0, lane);
    var b_k: array<vec4<f32>, C4>;
    for (var t = 0u; t < C4; t++) { b_k[t] = b[b_offsets[t] + kk * b_row4]; }
    for (var q = 0u; q < QA; q++) {
      for (var s = 0u; s < SG; s++) {
        let a_value = vec4(subgroupShuffle(a_k[q], s)); // A[row0 + SG·q + s, kk], loaded by lane s
        for (var t = 0u; t < C4; t++) {
          acc[SG * q + s][t] = fma(a_value, b_k[t], acc[SG * q + s][t]);
        }
      }
    }
  }

  store_tile4(batch, row0, col0, lane, &acc);
}
