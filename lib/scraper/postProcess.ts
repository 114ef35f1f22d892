import type { PostOp } from "./configTypes.ts";
import { compileDateFormat, parseFormattedDate } from "./parseFormattedDate.ts";
import { parseFormattedNumber } from "./parseFormattedNumber.ts";
import type { ScrapedRecord } from "./scrapeReport.ts";

type Value = string | number;

function applyOp(op: PostOp, value: Value, base: string): Value | Value[] | undefined {
  if (typeof op === "string") {
    const text = String(value);
    switch (op) {
      case "trim":
        // Collapse inner runs too: innerText of a block carries layout newlines and indentation.
        return text.replace(/[ \t\u00a0]+/g, " ").replace(/\s*\n\s*/g, "\n").trim();
      case "absoluteUrl":
        return new URL(text.trim(), base).toString();
      case "lowercase":
        return text.toLowerCase();
      case "uppercase":
        return text.toUpperCase();
    }
  }
  const text = String(value);
  if ("date" in op) return parseFormattedDate(text, compileDateFormat(op.date.format), op.date.timezone);
  if ("number" in op) return parseFormattedNumber(text, op.number);
  if ("regex" in op) {
    const match = new RegExp(op.regex.pattern).exec(text);
    if (!match) throw new Error(`"${text.slice(0, 80)}" does not match /${op.regex.pattern}/`);
    return match[op.regex.group ?? (match.length > 1 ? 1 : 0)] ?? "";
  }
  if ("replace" in op) return text.replace(new RegExp(op.replace.pattern, "g"), op.replace.with);
  return text.split(op.split.separator).map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * Applies the config's declared post-processing, field by field, in order. A
 * step that fails drops that field and records why; the rest of the record stays.
 */
export function postProcessRecord(record: ScrapedRecord, steps: Record<string, PostOp[]>, baseUrl: string): ScrapedRecord {
  const fields = { ...record.fields };
  const errors = [...record.errors];
  for (const [field, ops] of Object.entries(steps)) {
    const original = fields[field];
    if (original === undefined) continue;
    let values: Value[] = Array.isArray(original) ? [...original] : [original];
    try {
      for (const op of ops) values = values.flatMap((v) => applyOp(op, v, record.url ?? baseUrl) ?? []);
      const list = Array.isArray(original) || ops.some((op) => typeof op === "object" && "split" in op);
      fields[field] = list ? (values.map(String) as string[]) : values[0];
    } catch (error) {
      delete fields[field];
      errors.push({ kind: "postProcess", task: `postProcess.${field}`, ...(record.url ? { url: record.url } : {}), field, message: (error as Error).message });
    }
  }
  return { ...record, fields, errors };
}
