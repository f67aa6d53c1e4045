/**
 * A seeded synthetic cohort in ADNI's table formats, with a known thinning map:
 * a UCSFFSX-style FreeSurfer table (RID, VISCODE, OVERALLQC, ST…TA) and an ADNIMERGE-style
 * diagnosis table (RID, VISCODE, DX_bl, AGE, PTGENDER).
 *
 * thickness_ir = base_r + ageSlope·(age_i − 70) + sexShift·male_i − effect_r·sd_r·[AD_i] + sd_r·ε_ir
 * so the true CN − AD Cohen's d of region r is effect_r when age and sex are balanced.
 * Distractors: follow-up visits (m12), MCI subjects, scans failing QC, subjects without diagnosis.
 */

export interface SyntheticCohortOptions {
  seed: number;
  nCn: number;
  nAd: number;
  /** Mean age of the AD group (controls have mean 70); unequal ages confound raw d through ageSlope. */
  adMeanAge: number;
  /** Thinning per year of age, in mm (negative). */
  ageSlope: number;
}

export interface SyntheticCohort {
  freesurferCsv: string;
  diagnosisCsv: string;
  trueEffect: number[];
}

/** Mulberry32 uniform generator and Box–Muller normals. */
function createRandom(seed: number) {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

export function makeSyntheticCohort(stCodes: string[], opts: SyntheticCohortOptions): SyntheticCohort {
  const rng = createRandom(opts.seed);
  const n = stCodes.length;
  const base = Array.from({ length: n }, () => 2.2 + 0.6 * rng.uniform());
  const sd = Array.from({ length: n }, () => 0.1 + 0.1 * rng.uniform());
  // A smooth-ish known map: a few strongly affected regions, most mildly, a few not at all.
  const trueEffect = Array.from({ length: n }, (_, r) =>
    Math.max(0, 0.9 * Math.sin(r * 0.7) + 0.4 + 0.2 * rng.normal()),
  );
  const fsRows = [`RID,VISCODE,EXAMDATE,OVERALLQC,${stCodes.join(',')}`];
  const dxRows = ['RID,VISCODE,DX_bl,AGE,PTGENDER'];
  const scan = (rid: number, visit: string, qc: string, thickness: number[]) =>
    fsRows.push(`${rid},${visit},2012-01-01,${qc},${thickness.map((t) => t.toFixed(4)).join(',')}`);
  const groups: { dx: string; count: number; meanAge: number; ad: boolean }[] = [
    { dx: 'CN', count: opts.nCn, meanAge: 70, ad: false },
    { dx: 'AD', count: opts.nAd, meanAge: opts.adMeanAge, ad: true },
    { dx: 'LMCI', count: 30, meanAge: 72, ad: true },
  ];
  let rid = 1;
  for (const g of groups) {
    for (let k = 0; k < g.count; k++, rid++) {
      const age = g.meanAge + 5 * rng.normal();
      const male = rng.uniform() < 0.5 ? 1 : 0;
      const thickness = base.map(
        (b, r) =>
          b + opts.ageSlope * (age - 70) + 0.03 * male - (g.ad ? trueEffect[r]! * sd[r]! : 0) + sd[r]! * rng.normal(),
      );
      // ADNI-1 subjects' baseline MRI is coded `sc`, later phases `bl`.
      scan(rid, rid % 3 === 0 ? 'sc' : 'bl', 'Pass', thickness);
      scan(
        rid,
        'm12',
        'Pass',
        thickness.map((t) => t - 0.5),
      ); // a follow-up that must be ignored
      if (rid % 10 === 0)
        scan(
          rid,
          'bl',
          'Fail',
          thickness.map(() => 9.9),
        ); // a failed rerun excluded by QC
      for (const visit of ['bl', 'm06'])
        dxRows.push(`${rid},${visit},${g.dx},${age.toFixed(1)},${male ? 'Male' : 'Female'}`);
    }
  }
  scan(rid, 'bl', 'Pass', base); // a scan whose subject has no diagnosis row
  return { freesurferCsv: fsRows.join('\n') + '\n', diagnosisCsv: dxRows.join('\r\n') + '\r\n', trueEffect };
}
