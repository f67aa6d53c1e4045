// out[i] = value for every element, 4 per lane (storage is padded to whole vec4s).

struct FillParams {
  size: u32, // vec4s
  value: f32,
}

@group(0) @binding(0) var<storage, read_write> out: array<vec4f>;
@group(0) @binding(1) var<uniform> params: FillParams;

@compute @workgroup_size(256)
fn fill(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
        @builtin(local_invocation_index) lane: u32) {
  let i = (wg.y * groups.x + wg.x) * 256u + lane;
  if (i >= params.size) { return; }
  out[i] = vec4f(params.value);
}
