/** Text helpers shared by every figure: escaping for SVG/HTML and number formatting. */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use inside SVG/HTML elements and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A number as a reader wants it: 3 significant digits, no exponent between 1e-3 and 1e5. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}

/** A figure in a table column: fixed decimals so columns line up; 'n/a' when not finite. */
export function formatFixed(value: number, decimals = 3): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

/** A p-value: three decimals, or an exponent when smaller than 0.001 (never rounded to 0). */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

/** Axis coordinates: two decimals are far below a pixel at any size these figures are drawn. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "0.003 (1,000)": a permutation p with the number of null draws behind it. */
export function formatCountedP(p: number | undefined, draws: number | undefined): string {
  if (p === undefined) return '—';
  return draws === undefined ? formatP(p) : `${formatP(p)} (${draws.toLocaleString('en-US')})`;
}
