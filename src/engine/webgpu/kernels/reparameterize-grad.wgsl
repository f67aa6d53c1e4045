// The gradient of z = μ + exp(½·logσ²)·ε with respect to logσ², one lane per element:
//   dlogσ² = ½·((dz · exp(½·logσ²)) · ε)
// in that order, so it rounds as the chain of elementwise ops it replaces.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct ReparameterizeGradParams {
  size: u32,
}

@group(0) @binding(0) var<storage, read> dz: array<f32>;
@group(0) @binding(1) var<storage, read> log_var: array<f32>;
@group(0) @binding(2) var<storage, read> eps: array<f32>;
@group(0) @binding(3) var<storage, read_write> d_log_var: array<f32>;
@group(0) @binding(4) var<uniform> params: ReparameterizeGradParams;

@compute @workgroup_size(LANES)
fn reparameterize_grad(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                       @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  let sigma = exp(0.5 * log_var[i]);
  d_log_var[i] = 0.5 * ((dz[i] * sigma) * eps[i]);
}
