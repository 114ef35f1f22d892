/** Values extracted so far, by field name; lists come from `all: true` attributes. */
export type FieldValues = Record<string, string | string[] | number | undefined>;

const PLACEHOLDER = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names of the `$name` placeholders in a string. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Replaces `$name` with the extracted value (first item of a list); unknown names are left as written. */
export function substitute(text: string, values: FieldValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return String(Array.isArray(value) ? (value[0] ?? "") : value);
  });
}

/** Placeholders whose value is missing, so a task can report them instead of fetching a literal `$link`. */
export function missingPlaceholders(text: string, values: FieldValues): string[] {
  return placeholders(text).filter((name) => values[name] === undefined);
}
