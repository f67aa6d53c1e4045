// Fused per-member losses with their gradients, in the member-chunks.wgsl layout (one lane per
// element, one partial sum per workgroup; value[b] = Σ_c partials[b·chunks + c]).

struct MseParams {
  members: u32,       // B
  rows: u32,          // N
  cols: u32,          // C
  per_member: u32,    // N·C
  per_thread: u32,
  chunks: u32,
  target_stride: u32, // N·C for a [B, N, C] target, 0 for a broadcast [1, N, C] one
  mask_stride: u32,   // N for a [B, N, 1] mask, 0 for a broadcast [1, N, 1] one
  has_mask: u32,      // 0: every weight is 1
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<uniform> mse_params: MseParams;

// With m = mask[b, n] (1 without a mask) and D = max(1, C·Σ_n m[b, n]):
//   grad[b,n,c] = 2·m·(p − t)/D,  partials[group] = Σ_{chunk} m·(p − t)² / D,
// so value[b] = Σ_{n,c} m·(p − t)²/D. Every workgroup of a member sums the N mask weights itself.
@compute @workgroup_size(LANES)
fn mse(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
       @builtin(local_invocation_index) lane: u32) {
  let p = mse_params;
  let group = wg.y * groups.x + wg.x;
  let b = group / p.chunks;
  let chunk = group % p.chunks;
  if (b >= p.members) { return; }
  let mask_base = b * p.mask_stride;
  var weight_total = f32(p.rows);
  if (p.has_mask == 1u) {
    var weights = 0.0;
    for (var first = 0u; first < p.rows; first += LANES) {
      if (first + lane < p.rows) { weights += mask[mask_base + first + lane]; }
    }
    weight_total = workgroup_sum(weights, lane);
  }
  let denominator = max(1.0, f32(p.cols) * weight_total);
  let base = b * p.per_member;
  let target_base = b * p.target_stride;
  var sum = 0.0;
  for (var t = 0u; t < p.per_thread; t++) {
    let r = (chunk * p.per_thread + t) * LANES + lane;
    if (r < p.per_member) {
      var w = 1.0;
      if (p.has_mask == 1u) { w = mask[mask_base + r / p.cols]; }
      let diff = pred[base + r] - targets[target_base + r];
      grad[base + r] = 2.0 * w * diff / denominator;
      sum += w * diff * diff;
    }
  }
  let total = workgroup_sum(sum, lane);
  if (lane == 0u) { partials[group] = total / denominator; }
}

struct KlParams {
  members: u32,    // B
  per_member: u32, // S = N·K
  per_thread: u32,
  chunks: u32,
}

@group(0) @binding(6) var<storage, read> mu: array<f32>;
@group(0) @binding(7) var<storage, read> log_var: array<f32>;
@group(0) @binding(8) var<storage, read_write> grad_mu: array<f32>;
@group(0) @binding(9) var<storage, read_write> grad_log_var: array<f32>;
@group(0) @binding(10) var<uniform> kl_params: KlParams;

// KL(N(μ, σ²) ‖ N(0, 1)) averaged over the S entries of a member:
//   grad_mu = μ/S,  grad_log_var = ½(e^logσ² − 1)/S,
//   partials[group] = −½·Σ_{chunk}(1 + logσ² − μ² − e^logσ²)/S.
@compute @workgroup_size(LANES)
fn kl(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
      @builtin(local_invocation_index) lane: u32) {
  let p = kl_params;
  let group = wg.y * groups.x + wg.x;
  let b = group / p.chunks;
  let chunk = group % p.chunks;
  if (b >= p.members) { return; }
  let count = f32(p.per_member);
  let base = b * p.per_member;
  var sum = 0.0;
  for (var t = 0u; t < p.per_thread; t++) {
    let r = (chunk * p.per_thread + t) * LANES + lane;
    if (r < p.per_member) {
      let m = mu[base + r];
      let lv = log_var[base + r];
      let variance = exp(lv);
      grad_mu[base + r] = m / count;
      grad_log_var[base + r] = 0.5 * (variance - 1.0) / count;
      sum += 1.0 + lv - m * m - variance;
    }
  }
  let total = workgroup_sum(sum, lane);
  if (lane == 0u) { partials[group] = -0.5 * total / count; }
}
