// Columnar per-field storage beside _source: numbers (also dates and booleans)
// in Float64Arrays, keywords as dictionary ordinals, text as an inverted index
// with per-document lengths for BM25. Arrays are indexed by document slot.
import type { KeywordColumn } from "./KeywordColumn.ts";
import type { NumericColumn } from "./NumericColumn.ts";
import type { TextColumn } from "./TextColumn.ts";

export type Column = NumericColumn | KeywordColumn | TextColumn;
