// What the subgroup matmul kernels share (matmul.ts prepends it to each, after SG and QA): a
// workgroup is one subgroup of SG lanes over ROWS = SG·QA rows of C from row0 on; per step kk of
// the inner dimension lane l loads the QA values of op(A) in rows row0 + SG·q + l (q < QA), and
// subgroupShuffle hands each to every lane.

const ROWS: u32 = SG * QA;

// Where each of lane's QA rows of op(A) starts; rows past m repeat the last one (never stored).
fn a_row_offsets(a_base: u32, row0: u32, lane: u32) -> array<u32, QA> {
  var offsets: array<u32, QA>;
  for (var q = 0u; q < QA; q++) {
    offsets[q] = a_base + min(row0 + SG * q + lane, params.m - 1u) * params.a_row;
  }
  return offsets;
}

// Lane's QA values of op(A) at step kk: A[row0 + SG·q + lane, kk] (1 on the row of ones, see a_value).
fn a_step_values(offsets: array<u32, QA>, kk: u32, row0: u32, lane: u32) -> array<f32, QA> {
  var values: array<f32, QA>;
  for (var q = 0u; q < QA; q++) { values[q] = a_value(a[offsets[q] + kk * params.a_col], row0 + SG * q + lane); }
  return values;
}
