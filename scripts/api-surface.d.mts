/** Types of scripts/api-surface.mjs for the tests that import it. */
export interface ApiEntry {
  name: string;
  kind: string;
  file: string;
  doc: string;
  text: string;
}
export interface MissingType {
  name: string;
  file: string;
  usedBy: string;
}
export const ROOT: string;
export function apiSurface(entry?: string): { entries: ApiEntry[]; missingTypes: MissingType[] };
