// Shared by the fused per-batch-member kernels (laplacian, losses). Workgroup `group` of a grid
// spread in 2D serves member b = group / chunks, chunk c = group % chunks; its lane handles
// member elements r = (c·per_thread + t)·LANES + lane for t < per_thread, and the workgroup
// writes one partial sum, partials[group] = partials[b·chunks + c].

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;
const SIDE: u32 = 16u; // LANES = SIDE²

var<workgroup> lane_sums: array<f32, LANES>;
var<workgroup> row_sums: array<f32, 16>;

// Σ_lanes v in two levels, row_sums[g] = Σ_{j<16} lane_sums[16g + j], total = Σ_g row_sums[g]
// (float32; every lane adds the rows in the same order, so all get the same total). Two barriers
// instead of a halving tree's eight: barriers dominate on CPU adapters (lavapipe: the 8-level tree
// took over half of the Laplacian kernel's time). Call from uniform control flow. Calling it again
// at once is safe: every lane has passed this call's second barrier before any lane reaches the
// next call's writes, and the next call's first barrier orders its row_sums writes after this
// call's reads.
fn workgroup_sum(v: f32, lane: u32) -> f32 {
  lane_sums[lane] = v;
  workgroupBarrier();
  if (lane < SIDE) {
    var row = 0.0;
    for (var j = 0u; j < SIDE; j++) { row += lane_sums[SIDE * lane + j]; }
    row_sums[lane] = row;
  }
  workgroupBarrier();
  var total = 0.0;
  for (var g = 0u; g < SIDE; g++) { total += row_sums[g]; }
  return total;
}
