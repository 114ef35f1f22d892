/**
 * How deeply JSON text nests, found by scanning the raw text: never recursing,
 * so a hostile body is refused before JSON.parse, zod or JSON.stringify (which
 * recurses in V8 and overflows the stack at a few thousand levels) ever sees it.
 */

/** Deepest nesting any JSON this project reads needs (webhook ≤ 4, envelopes ≤ 6), with ample room. */
export const JSON_DEPTH_LIMIT = 32;

export interface ExcessiveNesting {
  /** The depth reached (limit + 1 when found). */
  depth: number;
  /** Offset in the text of the bracket that went past the limit. */
  offset: number;
}

/**
 * The first `[` or `{` (outside strings) that opens a level deeper than `limit`,
 * or undefined. Malformed text is scanned all the same: JSON.parse reports it.
 */
export function findExcessiveNesting(text: string, limit: number = JSON_DEPTH_LIMIT): ExcessiveNesting | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped, whatever it is
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return { depth, offset: i };
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** The reason text every refusal shares, so that callers name the limit the same way. */
export function nestingReason(found: ExcessiveNesting, limit: number = JSON_DEPTH_LIMIT): string {
  return `nests deeper than the limit of ${limit} levels (level ${found.depth} opens at offset ${found.offset})`;
}
