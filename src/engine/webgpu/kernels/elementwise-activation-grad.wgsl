// dx = dy ⊙ act′(x), with act′ expressed through the output y (activation_derivative in
// elementwise-activation.wgsl). One lane per 4 elements (storage is padded to whole vec4s).

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct ActivationGradParams {
  size: u32, // vec4s
  activation: u32,
}

@group(0) @binding(0) var<storage, read> y: array<vec4f>;
@group(0) @binding(1) var<storage, read> dy: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dx: array<vec4f>;
@group(0) @binding(3) var<uniform> params: ActivationGradParams;

@compute @workgroup_size(LANES)
fn activation_grad(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                   @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  let out = y[i];
  let a = params.activation;
  dx[i] = dy[i] * vec4f(activation_derivative(out.x, a), activation_derivative(out.y, a),
                        activation_derivative(out.z, a), activation_derivative(out.w, a));
}
