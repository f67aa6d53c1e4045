import { beforeAll, describe, expect, it } from 'vitest';
import { readAtlasTable, type AtlasTable } from '../src/pipeline/data/atlas-table';
import { buildSubjectMap, cohensDOf } from '../src/pipeline/data/adni-subjects';
import { leastSquares } from '../src/pipeline/data/least-squares';
import { makeSyntheticCohort } from './helpers/synthetic-adni';
import { DATA_DIR } from './fixtures/shipped-data';
import { tempFolder } from './fixtures/temp-files';

let atlas: AtlasTable;
beforeAll(() => {
  atlas = readAtlasTable(DATA_DIR);
});

const pearson = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
};

function cohortFiles(opts: Parameters<typeof makeSyntheticCohort>[1]) {
  const cohort = makeSyntheticCohort(atlas.adniThicknessAverage, opts);
  const f = tempFolder();
  return {
    ...cohort,
    freesurferFile: f.write('UCSFFSX51.csv', cohort.freesurferCsv),
    diagnosisFile: f.write('ADNIMERGE.csv', cohort.diagnosisCsv),
    dir: f,
  };
}

describe('subject-level ADNI FreeSurfer table → thinning map', () => {
  it('recovers the known effect map (r > 0.95, n = 400 CN / 200 AD) from baseline scans passing QC', () => {
    const c = cohortFiles({ seed: 11, nCn: 400, nAd: 200, adMeanAge: 70, ageSlope: -0.005 });
    const map = buildSubjectMap(
      {
        freesurferFile: c.freesurferFile,
        diagnosisFile: c.diagnosisFile,
        qc: { column: 'OVERALLQC', pass: 'Pass' },
        mode: 'raw',
      },
      atlas,
    );
    expect(map.nCn).toBe(400);
    expect(map.nAd).toBe(200);
    expect(map.excluded).toMatchObject({
      'not a baseline visit': 630,
      'OVERALLQC not Pass': 63,
      'diagnosis LMCI': 30,
      'no diagnosis row': 1,
    });
    expect(pearson(map.cohensD, c.trueEffect)).toBeGreaterThan(0.95);
    // mean absolute error of d: sampling SE of d at these n is ≈ 0.09
    const mae = c.trueEffect.reduce((s, t, r) => s + Math.abs(t - map.cohensD[r]!), 0) / 68;
    expect(mae).toBeLessThan(0.15);
    const g = 1 - 3 / (4 * 600 - 9);
    map.hedgesG.forEach((v, r) => expect(v).toBeCloseTo(map.cohensD[r]! * g, 12));
  });

  it('without the QC filter the failed reruns enter (a different map); with it they do not', () => {
    const c = cohortFiles({ seed: 3, nCn: 60, nAd: 40, adMeanAge: 70, ageSlope: 0 });
    const withQc = buildSubjectMap(
      {
        freesurferFile: c.freesurferFile,
        diagnosisFile: c.diagnosisFile,
        qc: { column: 'OVERALLQC', pass: 'Pass' },
        mode: 'raw',
      },
      atlas,
    );
    const without = buildSubjectMap(
      { freesurferFile: c.freesurferFile, diagnosisFile: c.diagnosisFile, mode: 'raw' },
      atlas,
    );
    expect(without.excluded['repeated baseline scan']).toBeGreaterThan(0);
    expect(Array.from(without.cohensD)).not.toEqual(Array.from(withQc.cohensD));
  });

  it('W-scores remove an age confound that biases raw d (AD 8 years older, thinning with age)', () => {
    const c = cohortFiles({ seed: 5, nCn: 400, nAd: 200, adMeanAge: 78, ageSlope: -0.012 });
    const files = {
      freesurferFile: c.freesurferFile,
      diagnosisFile: c.diagnosisFile,
      qc: { column: 'OVERALLQC', pass: 'Pass' },
    };
    const raw = buildSubjectMap({ ...files, mode: 'raw' }, atlas);
    const w = buildSubjectMap({ ...files, mode: 'wscore' }, atlas);
    const bias = (d: Float64Array) => d.reduce((s, v, r) => s + v - c.trueEffect[r]!, 0) / 68;
    expect(bias(raw.cohensD)).toBeGreaterThan(0.3); // age-related thinning counted as disease
    expect(Math.abs(bias(w.cohensD))).toBeLessThan(0.1);
    expect(pearson(w.cohensD, c.trueEffect)).toBeGreaterThan(0.95);
  });

  it('bad inputs: missing ST column, too few subjects, unknown QC column', () => {
    const c = cohortFiles({ seed: 1, nCn: 5, nAd: 1, adMeanAge: 70, ageSlope: 0 });
    expect(() =>
      buildSubjectMap({ freesurferFile: c.freesurferFile, diagnosisFile: c.diagnosisFile, mode: 'raw' }, atlas),
    ).toThrow(/ADNIMERGE\.csv: after joining with .*UCSFFSX51\.csv there are 5 CN and 1 AD baseline subjects/);
    expect(() =>
      buildSubjectMap(
        {
          freesurferFile: c.freesurferFile,
          diagnosisFile: c.diagnosisFile,
          qc: { column: 'QC', pass: 'Pass' },
          mode: 'raw',
        },
        atlas,
      ),
    ).toThrow(/UCSFFSX51\.csv: line 1 has no column 'QC'/);
    const broken = c.dir.write('broken.csv', c.freesurferCsv.replace('ST13TA', 'ST13XX'));
    expect(() =>
      buildSubjectMap({ freesurferFile: broken, diagnosisFile: c.diagnosisFile, mode: 'raw' }, atlas),
    ).toThrow(/broken\.csv: line 1 has no column 'ST13TA'/);
  });

  it("Cohen's d and least squares on hand-checked numbers", () => {
    // a = [1,2,3], b = [0,1]: means 2 and 0.5, pooled var = (2 + 0.5)/3
    expect(cohensDOf([1, 2, 3], [0, 1])).toBeCloseTo(1.5 / Math.sqrt(2.5 / 3), 12);
    const beta = leastSquares(
      [
        [1, 0],
        [1, 1],
        [1, 2],
        [1, 3],
      ],
      [1, 3, 5, 7.5],
    )!;
    expect(beta[0]).toBeCloseTo(0.9, 12);
    expect(beta[1]).toBeCloseTo(2.15, 12);
    expect(
      leastSquares(
        [
          [1, 2],
          [1, 2],
          [1, 2],
        ],
        [1, 2, 3],
      ),
    ).toBeUndefined();
  });
});
