/**
 * Minimum-cost perfect assignment on a dense n×n cost matrix (the Hungarian method in the
 * shortest-augmenting-path form with dual potentials u, v: Kuhn 1955, Munkres 1957, Jonker &
 * Volgenant 1987). O(n³). Returns assignment[row] = column.
 *
 * Invariant: u[i] + v[j] ≤ cost[i][j] for all i, j, with equality on assigned pairs; each of the n
 * phases adds one row and grows the matching along a shortest path of reduced costs
 * cost[i][j] − u[i] − v[j], updating the potentials by the path length so the invariant holds.
 */
export function hungarian(cost: Float64Array, n: number): Int32Array {
  if (cost.length !== n * n) throw new RangeError(`cost must be ${n}×${n}, got length ${cost.length}`);
  // 1-based internally; column 0 is a virtual column that holds the row being inserted.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOfColumn = new Int32Array(n + 1); // 0 = column free
  const previousColumn = new Int32Array(n + 1);
  const minReduced = new Float64Array(n + 1);
  const visited = new Uint8Array(n + 1);

  for (let row = 1; row <= n; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    minReduced.fill(Infinity);
    visited.fill(0);
    do {
      visited[column] = 1;
      const i = rowOfColumn[column]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let j = 1; j <= n; j++) {
        if (visited[j]) continue;
        const reduced = cost[(i - 1) * n + (j - 1)]! - u[i]! - v[j]!;
        if (reduced < minReduced[j]!) {
          minReduced[j] = reduced;
          previousColumn[j] = column;
        }
        if (minReduced[j]! < delta) {
          delta = minReduced[j]!;
          nextColumn = j;
        }
      }
      if (!Number.isFinite(delta)) throw new RangeError('hungarian: cost matrix must be finite');
      for (let j = 0; j <= n; j++) {
        if (visited[j]) {
          u[rowOfColumn[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minReduced[j]! -= delta;
        }
      }
      column = nextColumn;
    } while (rowOfColumn[column] !== 0);
    // augment: shift the assignments back along the path to the virtual column
    do {
      const before = previousColumn[column]!;
      rowOfColumn[column] = rowOfColumn[before]!;
      column = before;
    } while (column !== 0);
  }

  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) assignment[rowOfColumn[j]! - 1] = j - 1;
  return assignment;
}
