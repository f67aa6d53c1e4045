// Fused Laplacian smoothness of Z [B, N, K] under the N×N CSR matrix L (symmetric), one pass:
//   (LZ)[b,i,k] = Σ_{e ∈ row i} weights[e] · Z[b, col_index[e], k]
//   grad[b,i,k] = 2·(LZ)[b,i,k]                         (∂ tr(ZᵀLZ)/∂Z = (L + Lᵀ)Z = 2LZ)
//   partials[b·chunks + c] = Σ_{elements r of chunk c} Z[b,r]·(LZ)[b,r]
// so value[b] = tr(Z[b]ᵀ L Z[b]) = Σ_c partials[b·chunks + c]. One lane per element r = i·K + k
// (member-chunks.wgsl layout); lanes of one row share its CSR entries.

struct LaplacianParams {
  members: u32,    // B
  k: u32,          // K, columns of Z
  per_member: u32, // N·K
  per_thread: u32,
  chunks: u32,
}

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> row_ptr: array<u32>;
@group(0) @binding(2) var<storage, read> col_index: array<u32>;
@group(0) @binding(3) var<storage, read> weights: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<storage, read_write> partials: array<f32>;
@group(0) @binding(6) var<uniform> params: LaplacianParams;

@compute @workgroup_size(LANES)
fn laplacian_smoothness(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                        @builtin(local_invocation_index) lane: u32) {
  let group = wg.y * groups.x + wg.x;
  let b = group / params.chunks;
  let chunk = group % params.chunks;
  if (b >= params.members) { return; }
  let base = b * params.per_member;
  var sum = 0.0;
  for (var t = 0u; t < params.per_thread; t++) {
    let r = (chunk * params.per_thread + t) * LANES + lane;
    if (r < params.per_member) {
      let row = r / params.k;
      let col = r % params.k;
      var lz = 0.0;
      for (var e = row_ptr[row]; e < row_ptr[row + 1u]; e++) {
        lz += weights[e] * z[base + col_index[e] * params.k + col];
      }
      grad[base + r] = 2.0 * lz;
      sum += z[base + r] * lz;
    }
  }
  let total = workgroup_sum(sum, lane);
  if (lane == 0u) { partials[group] = total; }
}
