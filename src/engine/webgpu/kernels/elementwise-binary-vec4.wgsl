// out = f(a, b) (+ addend) four elements per lane over the flat output (storage is padded to whole vec4s),
// for the common layouts: each operand is the output's own shape, one value for all, or one value
// per batch member (shape [B, 1, …]); other broadcasts use elementwise-binary.wgsl. BINARY_* codes
// are prepended by elementwise.ts from the BINARY_OPS table (src/engine/binary-ops.ts); needs
// unknown-op.wgsl.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

// Operand layouts: the output's shape, one value for all, one value per member.
const LAYOUT_FULL: u32 = 0u;
const LAYOUT_SCALAR: u32 = 1u;
const LAYOUT_MEMBER: u32 = 2u;

struct BinaryVec4Params {
  size: u32,        // vec4s of the output (storage is padded to whole vec4s)
  op: u32,
  a_layout: u32,
  b_layout: u32,
  member_size: u32, // output elements per batch member (LAYOUT_MEMBER)
  has_addend: u32,  // 1: out = addend + f(a, b), the sum rounded once more (a gradient gathered so far)
}

@group(0) @binding(0) var<storage, read> a: array<vec4f>;
@group(0) @binding(1) var<storage, read> b: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4f>;
@group(0) @binding(3) var<uniform> params: BinaryVec4Params;
@group(0) @binding(4) var<storage, read> addend: array<vec4f>;

// Flat element e of an operand stored as vec4s.
fn element_a(e: u32) -> f32 { return a[e / 4u][e % 4u]; }
fn element_b(e: u32) -> f32 { return b[e / 4u][e % 4u]; }

// The member (batch index) of each of the 4 output elements of vec4 v.
fn members(v: u32) -> vec4u {
  return (4u * v + vec4u(0u, 1u, 2u, 3u)) / params.member_size;
}

fn operand_a(v: u32) -> vec4f {
  if (params.a_layout == LAYOUT_FULL) { return a[v]; }
  if (params.a_layout == LAYOUT_SCALAR) { return vec4f(a[0].x); }
  let m = members(v);
  return vec4f(element_a(m.x), element_a(m.y), element_a(m.z), element_a(m.w));
}

fn operand_b(v: u32) -> vec4f {
  if (params.b_layout == LAYOUT_FULL) { return b[v]; }
  if (params.b_layout == LAYOUT_SCALAR) { return vec4f(b[0].x); }
  let m = members(v);
  return vec4f(element_b(m.x), element_b(m.y), element_b(m.z), element_b(m.w));
}

@compute @workgroup_size(LANES)
fn binary_vec4(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
               @builtin(local_invocation_index) lane: u32) {
  let v = (wg.y * groups.x + wg.x) * LANES + lane;
  if (v >= params.size) { return; }
  let x = operand_a(v);
  let y = operand_b(v);
  var result: vec4f;
  switch params.op {
    case BINARY_ADD: { result = x + y; }
    case BINARY_SUB: { result = x - y; }
    case BINARY_MUL: { result = x * y; }
    case BINARY_DIV: { result = x / y; }
    case BINARY_MAX: { result = max(x, y); }
    case BINARY_MIN: { result = min(x, y); }
    default: { result = vec4f(unknown_op()); }
  }
  if (params.has_addend != 0u) { result = addend[v] + result; }
  out[v] = result;
}
