// Both gradients of z = μ + exp(½·logσ²)·ε, one lane per element, each added to the gradient its
// input has gathered so far (when HAS_* says there is one):
//   dμ = gathered_μ + dz
//   dlogσ² = gathered_logσ² + ½·((dz · exp(½·logσ²)) · ε)
// in that order, so it rounds as the chain of elementwise ops it replaces.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct ReparameterizeGradParams {
  size: u32,
  has_mu_so_far: u32,
  has_log_var_so_far: u32,
}

@group(0) @binding(0) var<storage, read> dz: array<f32>;
@group(0) @binding(1) var<storage, read> log_var: array<f32>;
@group(0) @binding(2) var<storage, read> eps: array<f32>;
@group(0) @binding(3) var<storage, read_write> d_log_var: array<f32>;
@group(0) @binding(4) var<uniform> params: ReparameterizeGradParams;
@group(0) @binding(5) var<storage, read_write> d_mu: array<f32>;
@group(0) @binding(6) var<storage, read> mu_so_far: array<f32>;
@group(0) @binding(7) var<storage, read> log_var_so_far: array<f32>;

@compute @workgroup_size(LANES)
fn reparameterize_grad(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                       @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  var mu_grad = dz[i];
  if (params.has_mu_so_far != 0u) { mu_grad = mu_so_far[i] + mu_grad; }
  d_mu[i] = mu_grad;
  let sigma = exp(0.5 * log_var[i]);
  var log_var_grad = 0.5 * ((dz[i] * sigma) * eps[i]);
  if (params.has_log_var_so_far != 0u) { log_var_grad = log_var_so_far[i] + log_var_grad; }
  d_log_var[i] = log_var_grad;
}
