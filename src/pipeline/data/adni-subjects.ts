/**
 * A regional thinning map from subject-level ADNI data: a UCSF FreeSurfer table (UCSFFSX /
 * UCSFFSX51: RID, VISCODE, ST…TA thickness columns) joined to ADNIMERGE-style diagnosis rows
 * (RID, DX_bl, AGE, PTGENDER). Baseline scans only; per region, Cohen's d and Hedges' g of CN − AD
 * (positive = thinner in AD), optionally on W-scores (age and sex regressed out in controls).
 */
import { DK68_REGIONS } from '../atlas';
import { InputError } from '../input-error';
import type { AtlasTable } from './atlas-table';
import { columnIndex, parseNumberCell, readCsvFile } from './csv';
import { leastSquares } from './least-squares';

export interface SubjectMapOptions {
  freesurferFile: string;
  diagnosisFile: string;
  /** Keep only rows whose `column` equals `pass` (e.g. OVERALLQC = Pass). */
  qc?: { column: string; pass: string };
  /** 'raw': d on thickness; 'wscore': d on residuals of thickness ~ 1 + age + sex fitted in controls. */
  mode: 'raw' | 'wscore';
}

export interface SubjectMap {
  regions: string[];
  /** Cohen's d (CN − AD) per region, canonical order: positive = thinner in AD. */
  cohensD: Float64Array;
  /** Hedges' g = d · (1 − 3 / (4(n_CN + n_AD) − 9)), the small-sample correction. */
  hedgesG: Float64Array;
  nCn: number;
  nAd: number;
  /** Why rows or subjects were left out, with counts. */
  excluded: Record<string, number>;
}

/** ADNI codes for the baseline MRI: `bl`, and screening `sc` / `scmri` (used when no `bl` row exists). */
const BASELINE_VISITS = ['bl', 'sc', 'scmri'];

interface Subject { rid: string; thickness: Float64Array; dx: 'CN' | 'AD'; age: number; male: number }

export function buildSubjectMap(opts: SubjectMapOptions, atlas: AtlasTable): SubjectMap {
  const excluded: Record<string, number> = {};
  const count = (why: string) => { excluded[why] = (excluded[why] ?? 0) + 1; };
  const diagnosis = readDiagnosis(opts.diagnosisFile, count);
  const scans = readBaselineThickness(opts, atlas, count);
  const subjects: Subject[] = [];
  for (const [rid, thickness] of scans) {
    const dx = diagnosis.get(rid);
    if (!dx) { count('no diagnosis row'); continue; }
    if (dx.dx !== 'CN' && dx.dx !== 'AD') { count(`diagnosis ${dx.dx}`); continue; }
    subjects.push({ rid, thickness, dx: dx.dx, age: dx.age, male: dx.male });
  }
  const cn = subjects.filter((s) => s.dx === 'CN');
  const ad = subjects.filter((s) => s.dx === 'AD');
  if (cn.length < 2 || ad.length < 2) {
    throw new InputError(`${opts.diagnosisFile}: after joining with ${opts.freesurferFile} there are ${cn.length} CN and ${ad.length} AD baseline subjects; fix: need at least 2 of each (check RID values match and DX_bl uses CN / AD)`);
  }
  if (opts.mode === 'wscore') residualiseOnControls(subjects, cn, opts.diagnosisFile);
  const n = DK68_REGIONS.length;
  const cohensD = new Float64Array(n);
  const hedgesG = new Float64Array(n);
  const correction = 1 - 3 / (4 * (cn.length + ad.length) - 9);
  for (let r = 0; r < n; r++) {
    cohensD[r] = cohensDOf(cn.map((s) => s.thickness[r]!), ad.map((s) => s.thickness[r]!));
    hedgesG[r] = cohensD[r]! * correction;
  }
  return { regions: [...DK68_REGIONS], cohensD, hedgesG, nCn: cn.length, nAd: ad.length, excluded };
}

/** d = (mean_a − mean_b) / s_pooled, s_pooled² = ((n_a−1)s_a² + (n_b−1)s_b²) / (n_a + n_b − 2). */
export function cohensDOf(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ss = (v: number[], m: number) => v.reduce((s, x) => s + (x - m) ** 2, 0);
  const ma = mean(a);
  const mb = mean(b);
  const pooled = Math.sqrt((ss(a, ma) + ss(b, mb)) / (a.length + b.length - 2));
  return (ma - mb) / pooled;
}

/** thickness_r ← thickness_r − [1, age, male]·β_r, with β_r fitted by least squares in controls only. */
function residualiseOnControls(all: Subject[], controls: Subject[], file: string): void {
  const design = (s: Subject) => [1, s.age, s.male];
  const A = controls.map(design);
  if (controls.some((s) => !Number.isFinite(s.age)) || all.some((s) => !Number.isFinite(s.age))) {
    throw new InputError(`${file}: column 'AGE' is missing for some CN/AD subjects; fix: fill AGE, or use raw mode instead of W-scores`);
  }
  for (let r = 0; r < DK68_REGIONS.length; r++) {
    const beta = leastSquares(A, controls.map((s) => s.thickness[r]!));
    if (!beta) throw new InputError(`${file}: age and sex of the controls are collinear (e.g. all one sex); fix: use raw mode instead of W-scores`);
    for (const s of all) s.thickness[r] = s.thickness[r]! - design(s).reduce((acc, x, k) => acc + x * beta[k]!, 0);
  }
}

function readDiagnosis(file: string, count: (why: string) => void): Map<string, { dx: string; age: number; male: number }> {
  const table = readCsvFile(file);
  const fix = 'use an ADNIMERGE-style table with RID, DX_bl, AGE and PTGENDER columns';
  const [rid, dx, age, sex] = ['RID', 'DX_bl', 'AGE', 'PTGENDER'].map((c) => columnIndex(table, c, fix)) as [number, number, number, number];
  const out = new Map<string, { dx: string; age: number; male: number }>();
  table.rows.forEach((row, k) => {
    const id = row[rid]!.trim();
    if (out.has(id)) return; // ADNIMERGE repeats DX_bl, AGE and PTGENDER on every visit row
    const line = table.lines[k]!;
    const gender = row[sex]!.trim().toLowerCase();
    const male = gender === 'male' || gender === 'm' || gender === '1' ? 1 : gender === 'female' || gender === 'f' || gender === '2' ? 0 : NaN;
    if (Number.isNaN(male)) { count('sex not Male/Female'); return; }
    out.set(id, { dx: row[dx]!.trim(), age: parseNumberCell(row[age]!, file, line, 'AGE'), male });
  });
  return out;
}

/** RID → thickness per canonical region from the first baseline row passing QC (bl preferred over sc/scmri). */
function readBaselineThickness(opts: SubjectMapOptions, atlas: AtlasTable, count: (why: string) => void): Map<string, Float64Array> {
  const file = opts.freesurferFile;
  const table = readCsvFile(file);
  const fix = 'use a UCSFFSX / UCSFFSX51 table with RID, VISCODE and ST…TA thickness columns';
  const rid = columnIndex(table, 'RID', fix);
  const visit = columnIndex(table, 'VISCODE', fix);
  const qc = opts.qc ? columnIndex(table, opts.qc.column, 'name an existing QC column, or leave out the QC filter') : -1;
  const stColumns = atlas.adniThicknessAverage.map((code) => columnIndex(table, code, fix));
  const chosen = new Map<string, { priority: number; thickness: Float64Array }>();
  table.rows.forEach((row, k) => {
    const priority = BASELINE_VISITS.indexOf(row[visit]!.trim().toLowerCase());
    if (priority === -1) { count('not a baseline visit'); return; }
    if (opts.qc && row[qc]!.trim() !== opts.qc.pass) { count(`${opts.qc.column} not ${opts.qc.pass}`); return; }
    const thickness = Float64Array.from(stColumns, (c) => parseNumberCell(row[c]!, file, table.lines[k]!, table.header[c]!));
    // ADNI writes missing measurements as blanks or negative codes (−1, −4); thickness is never ≤ 0.
    if (thickness.some((t) => !(t > 0))) { count('missing thickness value'); return; }
    const id = row[rid]!.trim();
    const earlier = chosen.get(id);
    if (earlier && earlier.priority <= priority) { count('repeated baseline scan'); return; }
    if (earlier) count('repeated baseline scan');
    chosen.set(id, { priority, thickness });
  });
  return new Map([...chosen].map(([id, c]) => [id, c.thickness]));
}
