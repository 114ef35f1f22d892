// The `q` URI parameter of _search and _count (`_search?q=bitcoin`), the form
// people type at a terminal. OpenSearch reads it with the query_string syntax;
// this endpoint supports its everyday subset and refuses the rest by name:
//
//   bitcoin etf          either word, in any text or keyword field (or `df`)
//   "spot etf"           a phrase
//   title:bitcoin        a field; title:"spot etf" a phrase in it
//   +bitcoin -ethereum   required, excluded; NOT x excludes; a AND b requires both
//
// `default_operator=AND` makes bare terms required. Groups (parentheses),
// wildcards, ranges, fuzziness, boosts and regular expressions answer 400.
import { illegalArgument } from "../errors.ts";
import type { Query } from "./parseQuery.ts";

interface Clause {
  occur: "must" | "should" | "must_not";
  field: string | null;
  text: string;
  phrase: boolean;
}

const UNSUPPORTED = /[()[\]{}~^*?\\/<>]/;

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  // A quoted phrase (optionally signed and fielded) is one token; otherwise whitespace splits.
  const re = /\s*((?:[+-]?(?:[^\s":]+:)?"[^"]*")|[^\s"]+)/y;
  let at = 0;
  for (;;) {
    re.lastIndex = at;
    const match = re.exec(q);
    if (!match) break;
    tokens.push(match[1]!);
    at = re.lastIndex;
  }
  if (q.slice(at).trim() !== "") throw illegalArgument(`[q] could not be parsed at "${q.slice(at).trim()}" (an unclosed quote?)`);
  return tokens;
}

export function parseUriQuery(q: string, params: URLSearchParams): Query {
  if (q.trim() === "") throw illegalArgument("[q] is empty");
  const operator = (params.get("default_operator") ?? "OR").toUpperCase();
  if (operator !== "OR" && operator !== "AND") throw illegalArgument(`[default_operator] must be AND or OR, got [${params.get("default_operator")}]`);
  const defaultField = params.get("df");
  const clauses: Clause[] = [];
  let negateNext = false;
  let requireNext = false;
  for (const token of tokenize(q)) {
    if (token === "AND") {
      // Lucene: `a AND b` makes both required.
      const previous = clauses.at(-1);
      if (!previous) throw illegalArgument("[q] cannot start with AND");
      if (previous.occur === "should") previous.occur = "must";
      requireNext = true;
      continue;
    }
    if (token === "OR") continue;
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    let body = token;
    let occur: Clause["occur"] = operator === "AND" ? "must" : "should";
    if (body.startsWith("+")) {
      occur = "must";
      body = body.slice(1);
    } else if (body.startsWith("-")) {
      occur = "must_not";
      body = body.slice(1);
    }
    if (negateNext) occur = "must_not";
    else if (requireNext && occur === "should") occur = "must";
    negateNext = requireNext = false;
    let field: string | null = defaultField;
    const colon = body.startsWith('"') ? -1 : body.indexOf(":");
    if (colon > 0) {
      field = body.slice(0, colon);
      body = body.slice(colon + 1);
    }
    const phrase = body.startsWith('"');
    const text = phrase ? body.slice(1, -1) : body;
    if (!phrase && UNSUPPORTED.test(text)) {
      throw illegalArgument(`[q] "${token}" uses query_string syntax (groups, wildcards, ranges, fuzziness, boosts or regular expressions) that this local endpoint does not support; send a query body`);
    }
    if (field !== null && (field === "" || UNSUPPORTED.test(field))) throw illegalArgument(`[q] "${token}" names no usable field`);
    if (text.trim() === "") throw illegalArgument(`[q] "${token}" has no text`);
    clauses.push({ occur, field, text, phrase });
  }
  if (negateNext || requireNext) throw illegalArgument("[q] ends with an operator");
  if (clauses.length === 0) throw illegalArgument("[q] has no terms");

  const toQuery = (c: Clause): Query => {
    if (c.field === null) {
      return { t: "multi_match", fields: null, query: c.text, type: c.phrase ? "phrase" : "best_fields", operator: "or", msm: null, tieBreaker: 0, analyzer: null, boost: 1 };
    }
    return c.phrase
      ? { t: "match_phrase", field: c.field, query: c.text, analyzer: null, boost: 1 }
      : { t: "match", field: c.field, query: c.text, operator: "or", msm: null, zeroTerms: "none", analyzer: null, boost: 1 };
  };
  const must = clauses.filter((c) => c.occur === "must").map(toQuery);
  const should = clauses.filter((c) => c.occur === "should").map(toQuery);
  const mustNot = clauses.filter((c) => c.occur === "must_not").map(toQuery);
  // Only exclusions: everything else matches, as in query_string.
  if (must.length === 0 && should.length === 0) must.push({ t: "match_all", boost: 1 });
  return { t: "bool", must, filter: [], should, mustNot, msm: must.length === 0 ? 1 : null, boost: 1 };
}
