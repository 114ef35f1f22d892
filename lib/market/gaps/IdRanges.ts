/** An inclusive range of positions: trade ids, or milliseconds for exchanges whose trades carry no sequence. */
export interface Span {
  from: bigint;
  to: bigint;
}

export const spanSize = (s: Span): bigint => s.to - s.from + 1n;

/** The parts of `span` not covered by `cut` (zero, one or two spans). */
export function subtractSpan(span: Span, cut: Span): Span[] {
  if (cut.to < span.from || cut.from > span.to) return [span];
  const out: Span[] = [];
  if (cut.from > span.from) out.push({ from: span.from, to: cut.from - 1n });
  if (cut.to < span.to) out.push({ from: cut.to + 1n, to: span.to });
  return out;
}

/** The overlap of two spans, if any. */
export function intersectSpan(a: Span, b: Span): Span | undefined {
  const from = a.from > b.from ? a.from : b.from;
  const to = a.to < b.to ? a.to : b.to;
  return from <= to ? { from, to } : undefined;
}

export const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
