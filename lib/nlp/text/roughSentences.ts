// A fast, model-free sentence splitter for cues that only need approximate
// boundaries (is this word sentence-initial? is this line a headline?). The
// summariser uses wink's splitter instead (see sentences.ts).

export interface Span {
  start: number;
  end: number;
}

// A line break always ends a sentence; . ! ? end one when followed by space and
// an upper-case letter, a digit or a quote (so "U.S. dollar" and "3.5" do not).
// Initials and common abbreviations ("U.S.", "Mr.", "Corp.") are not boundaries.
const BOUNDARY = /\n+|(?<!\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Inc|Corp|Ltd|Co|vs|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))[.!?]+["'”’)]*\s+(?=["'“‘(]?[A-Z0-9$])/g;

export function roughSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    pushTrimmed(text, start, end, spans);
    start = end;
  }
  pushTrimmed(text, start, text.length, spans);
  return spans;
}

function pushTrimmed(text: string, start: number, end: number, out: Span[]): void {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) out.push({ start, end });
}

/** The span containing `offset` (binary search over sorted spans), or undefined. */
export function spanAt(spans: readonly Span[], offset: number): Span | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
