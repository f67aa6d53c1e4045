// out[i] = value for every element, 4 per lane (storage is padded to whole vec4s).

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

struct FillParams {
  size: u32, // vec4s
  value: f32,
}

@group(0) @binding(0) var<storage, read_write> out: array<vec4f>;
@group(0) @binding(1) var<uniform> params: FillParams;

@compute @workgroup_size(LANES)
fn fill(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
        @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * LANES + lane;
  if (i >= params.size) { return; }
  out[i] = vec4f(params.value);
}
