/**
 * The characters SQS accepts in a message body and in string attribute values
 * (SendMessage API reference): #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD |
 * #x10000–#x10FFFF. Anything else makes SQS refuse the message
 * (InvalidMessageContents), so producers check text against this set before
 * archiving or enqueueing anything, and name the field at fault.
 *
 * The `u` flag matters: it makes the class match code points, so a surrogate
 * pair (every emoji) is one character in the allowed #x10000–#x10FFFF range,
 * while a lone surrogate is the code point U+D800–U+DFFF, outside every range.
 * Without it each half of an emoji is tested alone and refused.
 */
const OUTSIDE_SQS_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface InvalidSqsText {
  /** Where in the value, e.g. `items[3].title` (the prefix as given for the value itself). */
  path: string;
  codePoint: number;
}

/** The first code point SQS would refuse, or undefined. */
export function firstInvalidSqsCodePoint(text: string): number | undefined {
  const match = OUTSIDE_SQS_CHARACTERS.exec(text);
  return match ? match[0].codePointAt(0)! : undefined;
}

/** `U+FFFE`, as the refusal names it. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

export function invalidSqsTextReason(codePoint: number): string {
  return `contains ${codePointName(codePoint)}, a character SQS does not accept (allowed: tab, newline, carriage return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF; no lone surrogates)`;
}

const pathOf = (prefix: string, key: string | number) => (typeof key === "number" ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key);

/**
 * Walks a JSON-like value (iteratively: it may come from a hostile body) and
 * returns the first string or object key holding a character SQS refuses.
 */
export function findInvalidSqsText(value: unknown, prefix = ""): InvalidSqsText | undefined {
  // Depth-first, in document order: the first refusal a reader would find.
  const pending: Array<{ value: unknown; path: string; key?: string }> = [{ value, path: prefix }];
  while (pending.length > 0) {
    const { value: current, path, key } = pending.pop()!;
    const inKey = key === undefined ? undefined : firstInvalidSqsCodePoint(key);
    if (inKey !== undefined) return { path, codePoint: inKey };
    if (typeof current === "string") {
      const codePoint = firstInvalidSqsCodePoint(current);
      if (codePoint !== undefined) return { path: path || "body", codePoint };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], path: pathOf(path, i) });
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [name, child] = entries[i]!;
        pending.push({ value: child, path: pathOf(path, name), key: name });
      }
    }
  }
  return undefined;
}

/** The text with every character SQS refuses replaced by U+FFFD (what SQS itself substitutes), for texts we write ourselves such as DLQ reasons. */
export function toSqsSafeText(text: string): string {
  return text.replace(new RegExp(OUTSIDE_SQS_CHARACTERS.source, "gu"), "\uFFFD");
}

const OUTSIDE_SQS_CHARACTERS_ALL = new RegExp(OUTSIDE_SQS_CHARACTERS.source, "gu");

/** `text` with every character SQS would refuse replaced by U+FFFD: for text from outside sources that must travel, not be refused. */
export function toSqsText(text: string): string {
  return OUTSIDE_SQS_CHARACTERS.test(text) ? text.replace(OUTSIDE_SQS_CHARACTERS_ALL, "\uFFFD") : text;
}
