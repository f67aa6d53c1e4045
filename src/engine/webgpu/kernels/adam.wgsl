// Fused Adam(W) step, in place on param, m and v, one lane per 4 elements (vec4 loads and
// stores; a tensor's storage is padded to whole vec4s, and the padding is never read as values):
//   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  m̂ = m/(1 − β1ᵗ);  v̂ = v/(1 − β2ᵗ);
//   p = p − lr·(m̂/(√v̂ + ε) + wd·p).
// 1 − β and the bias corrections 1 − βᵗ come from the host, computed in float64: the corrections
// in the parameters, or (corrections_from_buffer = 1) in the tensor `corrections`, written before
// each replay of a captured training step.
// One dispatch updates up to three parameters (slots 0–2, each its own param, grad, m, v: with
// `corrections`, 13 storage buffers; adam.ts uses fewer slots on devices that bind fewer): slot k
// takes the workgroups from first_group[k] on, so every lane of a workgroup takes the same branch.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct AdamParams {
  size: vec3u, // vec4s per slot: ⌈elements / 4⌉
  first_group: vec3u, // first workgroup of each slot (slot 0 starts at 0)
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

@group(0) @binding(0) var<uniform> params: AdamParams;
@group(0) @binding(1) var<storage, read> corrections: array<f32>; // (1 − β1ᵗ, 1 − β2ᵗ)
@group(0) @binding(2) var<storage, read_write> param0: array<vec4f>;
@group(0) @binding(3) var<storage, read> grad0: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> m0: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> v0: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> param1: array<vec4f>;
@group(0) @binding(7) var<storage, read> grad1: array<vec4f>;
@group(0) @binding(8) var<storage, read_write> m1: array<vec4f>;
@group(0) @binding(9) var<storage, read_write> v1: array<vec4f>;
@group(0) @binding(10) var<storage, read_write> param2: array<vec4f>;
@group(0) @binding(11) var<storage, read> grad2: array<vec4f>;
@group(0) @binding(12) var<storage, read_write> m2: array<vec4f>;
@group(0) @binding(13) var<storage, read_write> v2: array<vec4f>;

struct AdamState {
  param: vec4f,
  m: vec4f,
  v: vec4f,
}

fn adam_step(p: vec4f, g: vec4f, m: vec4f, v: vec4f) -> AdamState {
  let mi = params.beta1 * m + params.one_minus_beta1 * g;
  let vi = params.beta2 * v + params.one_minus_beta2 * g * g;
  let from_buffer = params.corrections_from_buffer != 0u;
  let m_hat = mi / select(params.correction1, corrections[0], from_buffer);
  let v_hat = vi / select(params.correction2, corrections[1], from_buffer);
  return AdamState(p - params.lr * (m_hat / (sqrt(v_hat) + params.eps) + params.weight_decay * p), mi, vi);
}

// One update per slot, alike but for the bindings they touch: WGSL does not let a function take a
// pointer to a storage buffer (without an optional language feature), so the slot cannot be a parameter.
fn update0(i: u32) {
  if (i >= params.size[0]) { return; }
  let s = adam_step(param0[i], grad0[i], m0[i], v0[i]);
  param0[i] = s.param; m0[i] = s.m; v0[i] = s.v;
}

fn update1(i: u32) {
  if (i >= params.size[1]) { return; }
  let s = adam_step(param1[i], grad1[i], m1[i], v1[i]);
  param1[i] = s.param; m1[i] = s.m; v1[i] = s.v;
}

fn update2(i: u32) {
  if (i >= params.size[2]) { return; }
  let s = adam_step(param2[i], grad2[i], m2[i], v2[i]);
  param2[i] = s.param; m2[i] = s.m; v2[i] = s.v;
}

fn group_index(wg: vec3u, groups: vec3u) -> u32 {
  return wg.y * groups.x + wg.x;
}

@compute @workgroup_size(LANES)
fn adam_update_1(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                 @builtin(local_invocation_index) lane: u32) {
  update0(group_index(wg, groups) * LANES + lane);
}

@compute @workgroup_size(LANES)
fn adam_update_2(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                 @builtin(local_invocation_index) lane: u32) {
  let group = group_index(wg, groups);
  if (group >= params.first_group[1]) {
    update1((group - params.first_group[1]) * LANES + lane);
  } else {
    update0(group * LANES + lane);
  }
}

@compute @workgroup_size(LANES)
fn adam_update_3(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                 @builtin(local_invocation_index) lane: u32) {
  let group = group_index(wg, groups);
  if (group >= params.first_group[2]) {
    update2((group - params.first_group[2]) * LANES + lane);
  } else if (group >= params.first_group[1]) {
    update1((group - params.first_group[1]) * LANES + lane);
  } else {
    update0(group * LANES + lane);
  }
}
