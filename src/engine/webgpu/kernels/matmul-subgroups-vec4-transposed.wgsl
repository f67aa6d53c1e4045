// The subgroup matmul of matmul-subgroups-vec4.wgsl for a transposed op(B): C = op(A)·Bᵀ with B
// stored n×k, so column j of op(B) is row j of B, contiguous along k. Lane l owns the 4·C4
// columns col0 + 4·(SG·t + l) + e (t < C4, e < 4), as in the vec4 kernel; per four steps of k it
// loads, for each of its columns, one vec4 of B (B[j, kk … kk + 3]) instead of four scalars, and
// per step kk, for lane l,
//   acc[SG·q + s][t] += A[row0 + SG·q + s, kk] · (B[j0, kk], B[j0 + 1, kk], B[j0 + 2, kk], B[j0 + 3, kk])
// with j0 = col0 + 4·(SG·t + l) and A's value shared by subgroupShuffle. k is a multiple of 4
// (matmul.ts checks), so every row of B and every batch of n·k values starts on a vec4; so is n,
// so stores are vec4 (matmul-store-vec4.wgsl), and the ADDEND epilogue of a gradient's second
// share, dh = dμ·Wμᵀ + dlogσ²·Wσᵀ, is a vec4 load and store per lane, not four as in the scalar
// kernel (which took twice as long on that product at 66×75).
// Columns past the edge of C repeat the last valid one and are never stored.
// SG, QA and C4 are constants prepended by matmul.ts, with elementwise-activation.wgsl,
// matmul-interface.wgsl, matmul-subgroups-rows.wgsl and matmul-store-vec4.wgsl (store_tile4), and
// `enable subgroups;` first.

@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;

@compute @workgroup_size(SG)
fn matmul_subgroups_vec4_transposed(@builtin(workgroup_id) wg: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
  let row0 = wg.y * ROWS;
  let col0 = wg.x * SG * 4u * C4;
  let batch = wg.z;
  let a_base = batch * params.a_batch;
  // in vec4s: B's batch stride n·k and row stride k are multiples of 4
  let k4 = params.k / 4u;
  let b_base = batch * params.b_batch / 4u;

  let a_offsets = a_row_offsets(a_base, row0, lane);
  var b_offsets: array<array<u32, 4>, C4>;
  for (var t = 0u; t < C4; t++) {
    for (var e = 0u; e < 4u; e++) {
      b_offsets[t][e] = b_base + min(col0 + 4u * (SG * t + lane) + e, params.n - 1u) * k4;
    }
  }

  var acc: Tile4;
  for (var kq = 0u; kq < k4; kq++) {
    var b_k: array<array<vec4<f32>, 4>, C4>; // b_k[t][e] = B[j0 + e, 4·kq … 4·kq + 3]
    for (var t = 0u; t < C4; t++) {
      for (var e = 0u; e < 4u; e++) { b_k[t][e] = b[b_offsets[t][e] + kq]; }
    }
    for (var u = 0u; u < 4u; u++) {
      let a_k = a_step_values(a_offsets, 4u * kq + u, row0, lane);
      for (var q = 0u; q < QA; q++) {
        for (var s = 0u; s < SG; s++) {
          let a_value = vec4(subgroupShuffle(a_k[q], s)); // A[row0 + SG·q + s, 4·kq + u], loaded by lane s
          for (var t = 0u; t < C4; t++) {
            let b_value = vec4(b_k[t][0][u], b_k[t][1][u], b_k[t][2][u], b_k[t][3][u]);
            acc[SG * q + s][t] = fma(a_value, b_value, acc[SG * q + s][t]);
          }
        }
      }
    }
  }

  store_tile4(batch, row0, col0, lane, &acc);
}
