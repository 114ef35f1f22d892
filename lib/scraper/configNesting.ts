import { Parser } from "yaml";
import { ScraperConfigError } from "./ScraperConfigError.ts";

/**
 * Limits on a config's shape, checked without recursing before anything that
 * recurses (the YAML composer, zod, the task validator) sees it. A real config
 * nests a dozen levels; aliases can build more from less, or a cycle.
 */
export const CONFIG_DEPTH_LIMIT = 64;
export const CONFIG_VALUE_LIMIT = 100_000;

type CstNode = { offset?: number; items?: Array<{ key?: unknown; value?: unknown }>; value?: unknown };

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

/** Walks the YAML syntax tree (the parser itself does not recurse) and refuses nesting past the limit, naming where. */
export function checkYamlNesting(file: string, text: string, limit = CONFIG_DEPTH_LIMIT): void {
  const pending: Array<[CstNode, number]> = [];
  for (const token of new Parser().parse(text)) pending.push([token as CstNode, 0]);
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node.items) {
      if (depth + 1 > limit) {
        throw new ScraperConfigError(file, lineAndColumn(text, node.offset ?? 0), `nests deeper than the limit of ${limit} levels`);
      }
      for (const item of node.items) {
        for (const child of [item.key, item.value]) if (child && typeof child === "object") pending.push([child as CstNode, depth + 1]);
      }
    } else if (node.value && typeof node.value === "object") pending.push([node.value as CstNode, depth]);
  }
}

/**
 * The same limit on the document as a value (aliases expand after parsing:
 * `&a [*a]` is a cycle), plus a bound on how many values aliases may produce.
 */
export function checkValueNesting(file: string, document: unknown, limit = CONFIG_DEPTH_LIMIT, maxValues = CONFIG_VALUE_LIMIT): void {
  const pending: Array<[unknown, number, string]> = [[document, 0, ""]];
  let seen = 0;
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop()!;
    if (++seen > maxValues) throw new ScraperConfigError(file, "", `holds more than the limit of ${maxValues} values (aliases expanding?)`);
    if (value === null || typeof value !== "object") continue;
    if (depth + 1 > limit) throw new ScraperConfigError(file, path, `nests deeper than the limit of ${limit} levels (an alias that contains itself?)`);
    if (Array.isArray(value)) value.forEach((child, i) => pending.push([child, depth + 1, `${path}[${i}]`]));
    else for (const [key, child] of Object.entries(value)) pending.push([child, depth + 1, path ? `${path}.${key}` : key]);
  }
}
