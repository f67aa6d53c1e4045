/**
 * The numeric code of each op of an op table, as WGSL switches see it: its row's position in the
 * table (string keys keep their insertion order), so the codes come from the table and nowhere else.
 */
export function opCodes<Op extends string>(table: Readonly<Record<Op, unknown>>): Readonly<Record<Op, number>> {
  return Object.fromEntries(Object.keys(table).map((op, code) => [op, code])) as Record<Op, number>;
}

/** The op names of a table, in code order. */
export function opNames<Op extends string>(table: Readonly<Record<Op, unknown>>): readonly Op[] {
  return Object.keys(table) as Op[];
}
