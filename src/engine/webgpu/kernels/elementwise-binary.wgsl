// out[idx] = f(a[idx·aStrides], b[idx·bStrides]) over the broadcast output shape, walked as a
// rank-4 index; a broadcast axis has stride 0. BINARY_* codes are prepended by elementwise.ts from
// the BINARY_OPS table (src/engine/binary-ops.ts); needs unknown-op.wgsl.
// elementwise-binary-vec4.wgsl covers the common cases four elements per lane.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct BinaryParams {
  out_dims: vec4u,
  a_strides: vec4u,
  b_strides: vec4u,
  size: u32,
  op: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: BinaryParams;

fn apply_binary(u: f32, v: f32) -> f32 {
  switch params.op {
    case BINARY_ADD: { return u + v; }
    case BINARY_SUB: { return u - v; }
    case BINARY_MUL: { return u * v; }
    case BINARY_DIV: { return u / v; }
    case BINARY_MAX: { return max(u, v); }
    case BINARY_MIN: { return min(u, v); }
    default: { return unknown_op(); }
  }
}

@compute @workgroup_size(LANES)
fn binary(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
          @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  // row-major digits of i over out_dims: (i0, i1, i2, i3)
  let d = params.out_dims;
  let i3 = i % d.w;
  let i2 = (i / d.w) % d.z;
  let i1 = (i / (d.w * d.z)) % d.y;
  let i0 = i / (d.w * d.z * d.y);
  let index = vec4u(i0, i1, i2, i3);
  out[i] = apply_binary(a[dot(index, params.a_strides)], b[dot(index, params.b_strides)]);
}

