// The gradient of the weighted sum: d_k = w_k·dy elementwise for k < count, one lane per element,
// each product rounded once (as the scale or mul op of each term it replaces). w_k = coefficient k,
// or factor[0] where bit k of factor_mask is set (a [1] tensor such as the epoch's β, read when the
// kernel runs); outputs k ≥ count are placeholders and are not written.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct WeightedSumGradParams {
  size: u32,
  count: u32,
  factor_mask: u32,
  coefficient0: f32,
  coefficient1: f32,
  coefficient2: f32,
  coefficient3: f32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> factor: array<f32>;
@group(0) @binding(2) var<storage, read_write> d0: array<f32>;
@group(0) @binding(3) var<storage, read_write> d1: array<f32>;
@group(0) @binding(4) var<storage, read_write> d2: array<f32>;
@group(0) @binding(5) var<storage, read_write> d3: array<f32>;
@group(0) @binding(6) var<uniform> params: WeightedSumGradParams;

fn weight(k: u32, coefficient: f32) -> f32 {
  return select(coefficient, factor[0], (params.factor_mask & (1u << k)) != 0u);
}

@compute @workgroup_size(LANES)
fn weighted_sum_grad(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                     @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  let upstream = dy[i];
  d0[i] = weight(0u, params.coefficient0) * upstream;
  if (params.count > 1u) { d1[i] = weight(1u, params.coefficient1) * upstream; }
  if (params.count > 2u) { d2[i] = weight(2u, params.coefficient2) * upstream; }
  if (params.count > 3u) { d3[i] = weight(3u, params.coefficient3) * upstream; }
}
