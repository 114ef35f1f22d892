// The summary's length bound, shared by the extractive summariser and the
// consumer's call to an abstractive endpoint (which must honour the same
// bound). Kept apart from summarize.ts so that the consumer can use it
// without loading wink.

/** At most this many sentences in an extractive summary. */
export const SUMMARY_MAX_SENTENCES = 3;
/** A summary never exceeds this many characters, whichever model wrote it. */
export const SUMMARY_MAX_CHARS = 400;

/** Characters per token of English news: reads a token bound (Hugging Face's max_length) as characters and back. */
export const CHARS_PER_TOKEN = 4;

/** Cuts at the last word boundary that leaves room for an ellipsis. */
export function truncateAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 1) return "…".slice(0, maxChars);
  let cut = text.slice(0, maxChars - 1);
  const space = cut.search(/\s\S*$/);
  if (space > 0) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—(]+$/, "")}…`;
}
