// An article's text as the NLP functions accept it: plain text, or a title and a
// body (the title weighs more). Offsets into a `{ title, body }` input refer to
// `articleText()`: the title, a blank line, then the body.

export interface ArticleInput {
  title: string;
  body: string;
}

export type TextInput = string | ArticleInput;

/** The single string that offsets refer to. */
export function articleText(input: TextInput): string {
  if (typeof input === "string") return input;
  const title = input.title.trim();
  return title ? `${title}\n\n${input.body}` : input.body;
}

/** Where the body starts in `articleText(input)` (0 for plain text or an empty title). */
export function bodyOffset(input: TextInput): number {
  if (typeof input === "string") return 0;
  const title = input.title.trim();
  return title ? title.length + 2 : 0;
}
