// Sum over a set of axes, keeping them: out[o] = scale · Σ_r x[kept(o) + reduced(r)], where
// kept(o) = digits of o over out_dims · kept_strides and reduced(r) = digits of r over
// reduced_dims · reduced_strides (rank 4, row-major; stride 0 on the axes that do not apply).
// scale is 1/count for the last pass of a mean, 1 otherwise.

struct ReduceParams {
  out_dims: vec4u,
  kept_strides: vec4u,
  reduced_dims: vec4u,
  reduced_strides: vec4u,
  out_count: u32,
  reduced_count: u32,
  chunks: u32,
  scale: f32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: ReduceParams;

// row-major digits of i over dims, dotted with strides
fn strided_offset(i: u32, dims: vec4u, strides: vec4u) -> u32 {
  let i3 = i % dims.w;
  let i2 = (i / dims.w) % dims.z;
  let i1 = (i / (dims.w * dims.z)) % dims.y;
  let i0 = i / (dims.w * dims.z * dims.y);
  return dot(vec4u(i0, i1, i2, i3), strides);
}

fn element(o_base: u32, r: u32) -> f32 {
  return x[o_base + strided_offset(r, params.reduced_dims, params.reduced_strides)];
}

// Invocations per reduce_serial workgroup (reduce.ts reads it back by reflection).
const SERIAL_LANES: u32 = 64u;

// Short reductions (see reduce.ts for when): one thread per output, a serial float32 sum in the
// order r = 0, 1, … The reduced digits advance as an odometer — the last digit steps by its
// stride; on reaching its size it wraps to 0 and carries into the next — so the loop has no
// integer divisions (a CPU adapter does those one lane at a time).
@compute @workgroup_size(SERIAL_LANES)
fn reduce_serial(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                 @builtin(local_invocation_index) lane: u32) {
  let o = (wg.y * groups.x + wg.x) * SERIAL_LANES + lane;
  if (o >= params.out_count) { return; }
  let dims = params.reduced_dims;
  let strides = params.reduced_strides;
  var digits = vec4u(0u);
  var offset = strided_offset(o, params.out_dims, params.kept_strides); // offsets wrap mod 2³² in between
  var sum = 0.0;
  for (var r = 0u; r < params.reduced_count; r++) {
    sum += x[offset];
    for (var axis = 3; axis >= 0; axis--) {
      digits[axis] += 1u;
      offset += strides[axis];
      if (digits[axis] < dims[axis]) { break; }
      digits[axis] = 0u;
      offset -= dims[axis] * strides[axis];
    }
  }
  out[o] = sum * params.scale;
}

// PER_THREAD is prepended by reduce.ts; LANES comes from member-chunks.wgsl
const CHUNK: u32 = LANES * PER_THREAD; // reduced elements per workgroup

// Long reductions: workgroup (o, chunk) sums reduced elements [chunk·CHUNK, (chunk+1)·CHUNK) of
// output o (4 strided values per lane, then workgroup_sum from member-chunks.wgsl, prepended),
// writing out[o·chunks + chunk]. Passes repeat over those partial sums until one chunk is left.
@compute @workgroup_size(LANES)
fn reduce_tree(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
               @builtin(local_invocation_index) lane: u32) {
  let group = wg.y * groups.x + wg.x;
  let o = group / params.chunks;
  let chunk = group % params.chunks;
  // whole workgroups leave together, so workgroup_sum stays in uniform control flow
  if (o >= params.out_count) { return; }
  let base = strided_offset(o, params.out_dims, params.kept_strides);
  var sum = 0.0;
  for (var t = 0u; t < PER_THREAD; t++) {
    let r = chunk * CHUNK + t * LANES + lane;
    if (r < params.reduced_count) { sum += element(base, r); }
  }
  let total = workgroup_sum(sum, lane);
  if (lane == 0u) { out[o * params.chunks + chunk] = total * params.scale; }
}
