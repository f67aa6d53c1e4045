/** Types of scripts/api-reference.mjs for the tests that import it. */
export const API_REFERENCE: string;
export function renderApiReference(): string;
