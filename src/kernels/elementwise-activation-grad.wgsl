// dx = dy ⊙ act′(x), with act′ expressed through the output y (activation_derivative in
// elementwise-activation.wgsl).

struct ActivationGradParams {
  size: u32,
  activation: u32,
}

@group(0) @binding(0) var<storage, read> y: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: ActivationGradParams;

@compute @workgroup_size(256)
fn activation_grad(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                   @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * 256u + lane;
  if (i >= params.size) { return; }
  dx[i] = dy[i] * activation_derivative(y[i], params.activation);
}
