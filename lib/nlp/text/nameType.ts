// A type for a proper-noun sequence, which wink's lite model leaves untyped:
// GPE from a small gazetteer, ORG from its last word (… Commission, … Labs),
// PERSON from first names and cues around it (said, CEO, analyst), ORG otherwise.
import { FIRST_NAMES, ORG_CUES, ORG_WORDS, PERSON_CUES, PLACE_PHRASES, PLACES } from "./lexicon.ts";

export interface NameCues {
  /** Lower-case words before each occurrence (up to three). */
  before: string[][];
  /** The lower-case word after each occurrence. */
  after: string[];
  /** The name also appears as its last word alone ("Okafor said"): a surname. */
  surnameAlone: boolean;
}

const SPEECH = new Set(["said", "says", "told", "wrote", "added", "noted", "argued", "tweeted", "posted"]);

export function nameType(words: readonly string[], cues: NameCues): "GPE" | "ORG" | "PERSON" {
  const lower = words.map((w) => w.toLowerCase());
  const joined = lower.join(" ");
  if (PLACE_PHRASES.has(joined) || (words.length === 1 && PLACES.has(joined))) return "GPE";
  const last = lower[lower.length - 1]!;
  if (ORG_WORDS.has(last) || words.some((w) => /^[A-Z0-9]{2,}$/.test(w))) return "ORG";
  const personShaped = words.length >= 2 && words.length <= 3 && words.every((w) => /^[A-Z][a-z'’-]+$/.test(w));
  if (personShaped) {
    // The word right before decides: "analyst Jonah Whitaker" vs "an analyst at Fee Atlas".
    const orgCued = cues.before.filter((b) => ORG_CUES.has(b[b.length - 1] ?? "")).length;
    const personCued = cues.before.filter((b) => PERSON_CUES.has(b[b.length - 1] ?? "")).length + cues.after.filter((a) => SPEECH.has(a)).length;
    if (FIRST_NAMES.has(lower[0]!) || cues.surnameAlone || personCued > orgCued) return "PERSON";
  }
  return "ORG";
}
