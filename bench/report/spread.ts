/** How a timing is printed everywhere in the bench's reports. */
import { formatNumber } from '../../src/pipeline/report/format';
import type { TimingStats } from '../types';

/** "1.23 [1.20–1.31]": median and range of the samples, in ms. */
export function spread(t: TimingStats | null): string {
  return t ? `${formatNumber(t.medianMs, 3)} [${formatNumber(t.minMs, 3)}–${formatNumber(t.maxMs, 3)}]` : '-';
}
