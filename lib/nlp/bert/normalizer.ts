// Text normalisers of Hugging Face `tokenizers`, as named in tokenizer.json's
// `normalizer` block. BertNormalizer is the one BERT-family models use; the
// small Sequence members cover exports that spell it out step by step.

export type Normalize = (text: string) => string;

export interface BertNormalizerOptions {
  cleanText: boolean;
  handleChineseChars: boolean;
  /** `null` follows `lowercase`, as in `tokenizers`. */
  stripAccents: boolean | null;
  lowercase: boolean;
}

const OTHER = /\p{C}/u;
// Rust's char::is_whitespace, which `tokenizers` uses.
const WHITESPACE = /\p{White_Space}/u;
const MARK_NONSPACING = /\p{Mn}/gu;

/** The CJK ideograph blocks BERT surrounds with spaces (one token per ideograph), as `tokenizers` lists them. */
function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) || // from 0x2b920 (not 0x2b820 as in BERT), as in `tokenizers`
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Drops NUL, U+FFFD and control/format characters (but not \t \n \r); then every whitespace becomes a plain space. */
function cleanText(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd) continue;
    const tabOrNewline = cp === 0x09 || cp === 0x0a || cp === 0x0d;
    if (!tabOrNewline && OTHER.test(ch)) continue;
    out += tabOrNewline || WHITESPACE.test(ch) ? " " : ch;
  }
  return out;
}

function spaceChineseChars(text: string): string {
  let out = "";
  for (const ch of text) out += isChineseChar(ch.codePointAt(0)!) ? ` ${ch} ` : ch;
  return out;
}

export function stripAccents(text: string): string {
  return text.normalize("NFD").replace(MARK_NONSPACING, "");
}

/**
 * Lower-cases one code point at a time, as Rust's `char::to_lowercase` does
 * (String.prototype.toLowerCase would turn a word-final Σ into ς, and the
 * vocabulary was built without that rule).
 */
export function lowercase(text: string): string {
  let out = "";
  for (const ch of text) out += ch.toLowerCase();
  return out;
}

export function bertNormalizer(o: BertNormalizerOptions): Normalize {
  const strip = o.stripAccents ?? o.lowercase;
  return (text) => {
    let t = text;
    if (o.cleanText) t = cleanText(t);
    if (o.handleChineseChars) t = spaceChineseChars(t);
    if (strip) t = stripAccents(t);
    if (o.lowercase) t = lowercase(t);
    return t;
  };
}

/** Applies the normalisers in order (a `Sequence` normalizer). */
export function sequence(steps: readonly Normalize[]): Normalize {
  return (text) => steps.reduce((t, step) => step(t), text);
}

export const unicodeForm =
  (form: "NFC" | "NFD" | "NFKC" | "NFKD"): Normalize =>
  (text) =>
    text.normalize(form);

/** `StripAccents` alone removes the combining marks that an earlier NFD step split off. */
export const stripMarks: Normalize = (text) => text.replace(MARK_NONSPACING, "");
