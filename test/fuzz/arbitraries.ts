// Inputs hostile callers send: text with the characters SQS refuses, control
// characters and emoji; plausible values next to absurd ones; JSON nested far
// past any limit. Shared by the boundaries.
import fc from "fast-check";

/** Characters that have broken, or could break, something: noncharacters, lone surrogates, controls, invisibles, and emoji (which must pass). */
export const SPECIAL_CHARACTERS = [
  "\uFFFF", "\uFFFE", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\u0000", "\u0001", "\u0008", "\u000B", "\u000C", "\u001B", "\u007F",
  "\u0085", "\u00A0", "\u200B", "\u2028", "\u2029", "\uFEFF", "\uFFFD", "\t", "\n", "\r", "\"", "\\", "'", "<", ">", "&", "%", "$", "{", "}", "[", "]",
  "🚀", "👩‍💻", "🏳️‍🌈", "\u{10FFFF}", "\u{1D11E}", "é", "中", "ع",
];

const ASTRAL = /[\u{10000}-\u{10FFFF}]/u;

export interface TextOptions {
  maxLength?: number;
  /** Characters above U+FFFF (emoji). Off where the local emulator still refuses them. */
  astral?: boolean;
}

/** A string of ordinary characters with hostile ones mixed in. */
export function hostileText(options: TextOptions = {}): fc.Arbitrary<string> {
  const specials = options.astral === false ? SPECIAL_CHARACTERS.filter((c) => !ASTRAL.test(c)) : SPECIAL_CHARACTERS;
  const unit = fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 8 }) },
    { weight: 2, arbitrary: fc.constantFrom(...specials) },
    { weight: 1, arbitrary: fc.string({ unit: options.astral === false ? "grapheme" : "binary", minLength: 1, maxLength: 4 }).filter((s) => options.astral !== false || !ASTRAL.test(s)) },
  );
  return fc.array(unit, { maxLength: Math.max(1, Math.ceil((options.maxLength ?? 40) / 4)) }).map((parts) => parts.join("").slice(0, options.maxLength ?? 40));
}

/** Mostly well-formed words, sometimes hostile text. */
export function plausibleText(options: TextOptions = {}): fc.Arbitrary<string> {
  const words = fc.array(fc.constantFrom("Bitcoin", "ETF", "inflows", "rise", "Ether", "gas", "fees", "fall", "as", "whales", "move", "coins", "SEC", "approves", "🚀"), { minLength: 1, maxLength: 12 }).map((w) => w.join(" "));
  return fc.oneof({ weight: 4, arbitrary: options.astral === false ? words.map((w) => w.replace(/🚀/g, "rocket")) : words }, { weight: 1, arbitrary: hostileText(options) });
}

/** Any JSON value, with hostile strings and keys. */
export function hostileJson(options: TextOptions & { maxDepth?: number } = {}): fc.Arbitrary<unknown> {
  const text = hostileText({ ...options, maxLength: 12 });
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true, maxDepth: options.maxDepth ?? 4 },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      text,
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(text, tie("value"), { maxKeys: 4 }),
    ),
  })).value;
}

/** JSON text nested `depth` levels deep: arrays, objects or both. */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 20, max: 20_000 }), fc.constantFrom("array", "object", "mixed"))
  .map(([depth, shape]) => {
    if (shape === "array") return "[".repeat(depth) + "]".repeat(depth);
    if (shape === "object") return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    return '{"a":['.repeat(depth) + "1" + "]}".repeat(depth);
  });

/** JSON text that is wrong in one of the ways people get it wrong. */
export const malformedJson = fc.oneof(
  fc.constantFrom("", " ", "{", "[", "{]", '{"a":}', "{'a':1}", "nul", "NaN", '{"a":1,}', "[1 2]", '"unterminated', "\u0000", "{}{}", "\uFEFF{}"),
  fc.string({ maxLength: 60 }),
);

/** A URL: usually a page of a news site, sometimes not a URL at all or one no one should follow. */
export const urlLike = fc.oneof(
  { weight: 4, arbitrary: fc.webPath().map((p) => `https://u.today${p.startsWith("/") ? p : `/${p}`}`) },
  { weight: 2, arbitrary: fc.webUrl() },
  { weight: 1, arbitrary: fc.constantFrom("javascript:alert(1)", "file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "//evil.example/x", "not a url", "https://", "http://[::1]/", "https://u.today/\u0000") },
  { weight: 1, arbitrary: hostileText() },
);

/** An instant as callers write them: ISO, epoch ms, or nonsense. */
export const instantLike = fc.oneof(
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: 0, max: 4_102_444_800_000 }).map(String),
  fc.constantFrom("2026-11-22", "2026-11-22T10:00:00", "2026-11-22T10:00:00+25:00", "2026-02-30T00:00:00Z", "yesterday", "-1", "1e21", "0x10", "9999999999999999999"),
  hostileText({ maxLength: 30 }),
);
