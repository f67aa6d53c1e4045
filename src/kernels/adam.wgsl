// Fused Adam(W) step, in place on param, m and v, one lane per 4 elements (vec4 loads and
// stores; a tensor's storage is padded to whole vec4s, and the padding is never read as values):
//   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  m̂ = m/(1 − β1ᵗ);  v̂ = v/(1 − β2ᵗ);
//   p = p − lr·(m̂/(√v̂ + ε) + wd·p).
// 1 − β and the bias corrections 1 − βᵗ come from the host, computed in float64: the corrections
// in the parameters, or (corrections_from_buffer = 1) in the tensor `corrections`, written before
// each replay of a captured training step.

struct AdamParams {
  size: u32, // vec4s: ⌈elements / 4⌉
  lr: f32,
  beta1: f32,
  beta2: f32,
  one_minus_beta1: f32,
  one_minus_beta2: f32,
  correction1: f32, // 1 − β1ᵗ
  correction2: f32, // 1 − β2ᵗ
  eps: f32,
  weight_decay: f32,
  corrections_from_buffer: u32,
}

@group(0) @binding(0) var<storage, read_write> param: array<vec4f>;
@group(0) @binding(1) var<storage, read> grad: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> m: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> v: array<vec4f>;
@group(0) @binding(4) var<uniform> params: AdamParams;
@group(0) @binding(5) var<storage, read> corrections: array<f32>; // (1 − β1ᵗ, 1 − β2ᵗ)

@compute @workgroup_size(256)
fn adam_update(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
               @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * 256u + lane;
  if (i >= params.size) { return; }
  let g = grad[i];
  let mi = params.beta1 * m[i] + params.one_minus_beta1 * g;
  let vi = params.beta2 * v[i] + params.one_minus_beta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  let from_buffer = params.corrections_from_buffer != 0u;
  let m_hat = mi / select(params.correction1, corrections[0], from_buffer);
  let v_hat = vi / select(params.correction2, corrections[1], from_buffer);
  let p = param[i];
  param[i] = p - params.lr * (m_hat / (sqrt(v_hat) + params.eps) + params.weight_decay * p);
}
