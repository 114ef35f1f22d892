// Hashtags as a post carries them: the source's own list (Bluesky facet tags,
// X entities) and any `#tag` written inline that the source did not mark.
const INLINE_TAG = /(?<![\p{L}\p{N}_#&])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;

export const MAX_HASHTAGS = 100;
const MAX_TAG_LENGTH = 256;

/** The tags, without `#`, first spelling kept, duplicates (any case) dropped. */
export function hashtagsOf(text: string, declared: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (tag: string) => {
    const t = tag.replace(/^#/, "").trim();
    if (!t || t.length > MAX_TAG_LENGTH || out.length >= MAX_HASHTAGS) return;
    const key = t.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(t);
  };
  for (const tag of declared) add(tag);
  if (text.includes("#")) for (const m of text.matchAll(INLINE_TAG)) add(m[1]!);
  return out;
}
