// OpenSearch refuses JSON nested deeper than opensearch.xcontent.depth.max
// (1000, Jackson's StreamReadConstraints default). The same limit here, found
// by scanning the raw bytes without recursing, before anything parses the body:
// the query and aggregation parsers, the mapper and JSON.stringify all recurse.
import { SearchError } from "../errors.ts";

export const MAX_JSON_DEPTH = 1000;

/**
 * Throws a 400 naming the limit when a `[` or `{` outside strings opens a
 * level deeper than `limit`. Works on JSON and NDJSON alike (brackets and
 * quotes are ASCII, never part of a multi-byte UTF-8 sequence).
 */
export function checkJsonDepth(body: Buffer, limit: number = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) {
        throw new SearchError(
          400,
          "x_content_parse_exception",
          `[${line}:${i - lineStart + 1}] Document nesting depth (${depth}) exceeds the maximum allowed (${limit}, from \`opensearch.xcontent.depth.max\`)`,
        );
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
