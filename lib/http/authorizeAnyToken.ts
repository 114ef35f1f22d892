import { authorizeToken, type AuthResult } from "./authorizeToken.ts";

/**
 * authorizeToken against each accepted token (two while one is rotated: the
 * new one and the old one); the first refusal's reason when none matches.
 */
export function authorizeAnyToken(header: string | undefined, tokens: string | readonly string[] | undefined, disabled: string): AuthResult {
  const list = tokens === undefined ? [] : typeof tokens === "string" ? [tokens] : tokens;
  if (list.length === 0) return authorizeToken(header, undefined, disabled);
  let refused: AuthResult | undefined;
  for (const token of list) {
    const result = authorizeToken(header, token, disabled);
    if (result.ok) return result;
    refused ??= result;
  }
  return refused!;
}
