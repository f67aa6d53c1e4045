/** The report shows every p with its number of null maps, and the genes' contribution as its own table. */
import { describe, expect, it } from 'vitest';
import { formatCountedP } from '../src/pipeline/report/format';
import { crossValidationSection, geneContributionSection } from '../src/pipeline/report/sections';

describe('p-values with their draws', () => {
  it('formatCountedP writes the count beside p, and a dash without p', () => {
    expect(formatCountedP(0.003, 1000)).toBe('0.003 (1,000)');
    expect(formatCountedP(0.25, 3)).toBe('0.250 (3)');
    expect(formatCountedP(undefined, 10)).toBe('—');
  });

  it('the CV table shows p_spin and p_moran with counts, r per split, and marks schemes where counterparts train', () => {
    const html = crossValidationSection([
      {
        model: 'ridge',
        scheme: 'hemisphere to hemisphere',
        r: 0.8,
        rSquared: 0.6,
        explainedVariance: 0.6,
        pSpin: 0.003,
        spins: 1000,
        pMoran: 0.01,
        moranMaps: 1000,
        perSplitR: 'L->R 0.870, R->L 0.740',
        counterpartsTrain: true,
      },
      {
        model: 'ridge',
        scheme: 'spatial patches with counterparts held out',
        r: 0.5,
        rSquared: 0.2,
        explainedVariance: 0.2,
        counterpartsTrain: false,
      },
    ])!.html;
    expect(html).toContain('0.003 (1,000)');
    expect(html).toContain('0.010 (1,000)');
    expect(html).toContain('L-&gt;R 0.870, R-&gt;L 0.740');
    expect(html).toContain('hemisphere to hemisphere †');
    expect(html).not.toContain('held out †');
  });

  it("the genes' contribution table: Δr, its interval, ΔR² and both paired p's with counts", () => {
    const html = geneContributionSection([
      {
        scheme: 'spatial patches with counterparts held out',
        model: 'ridge',
        versus: 'best no-gene model (no genes: counterpart copy)',
        deltaR: 0.12,
        deltaR2: 0.2,
        deltaRInterval: [0.01, 0.3],
        bootstrap: 1000,
        pSpin: 0.02,
        spins: 1000,
        pMoran: 0.04,
        moranMaps: 1000,
      },
    ])!.html;
    expect(html).toContain('[0.01');
    expect(html).toContain('0.020 (1,000)');
    expect(html).toContain('0.040 (1,000)');
    expect(html).toContain('1000 region-bootstrap resamples');
    expect(geneContributionSection([])).toBeNull();
  });
});
