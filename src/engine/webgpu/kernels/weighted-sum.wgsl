// total = (w0·t0 + w1·t1) + (w2·t2 + w3·t3) elementwise, one lane per element, rounded in that
// order (as the chain of scale, mul and add ops it replaces). w_k = coefficient k, or factor[0]
// where bit k of factor_mask is set (a [1] tensor such as the epoch's β, read when the kernel
// runs); terms k ≥ count are 0 (their bindings are placeholders).

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct WeightedSumParams {
  size: u32,
  count: u32,
  factor_mask: u32,
  coefficient0: f32,
  coefficient1: f32,
  coefficient2: f32,
  coefficient3: f32,
}

@group(0) @binding(0) var<storage, read> term0: array<f32>;
@group(0) @binding(1) var<storage, read> term1: array<f32>;
@group(0) @binding(2) var<storage, read> term2: array<f32>;
@group(0) @binding(3) var<storage, read> term3: array<f32>;
@group(0) @binding(4) var<storage, read> factor: array<f32>;
@group(0) @binding(5) var<storage, read_write> total: array<f32>;
@group(0) @binding(6) var<uniform> params: WeightedSumParams;

fn weighted(k: u32, coefficient: f32, value: f32) -> f32 {
  if (k >= params.count) { return 0.0; }
  let weight = select(coefficient, factor[0], (params.factor_mask & (1u << k)) != 0u);
  return weight * value;
}

@compute @workgroup_size(LANES)
fn weighted_sum(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  // a placeholder's read lands inside its small buffer (WebGPU bounds every access) and is discarded
  let first = weighted(0u, params.coefficient0, term0[i]) + weighted(1u, params.coefficient1, term1[i]);
  let second = weighted(2u, params.coefficient2, term2[i]) + weighted(3u, params.coefficient3, term3[i]);
  total[i] = first + second;
}
