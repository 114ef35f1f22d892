// The JSON body of a request, with 400s naming `body`.
// Not @middy/http-json-body-parser: that one recurses into any depth of nesting
// and answers a generic 415/422 instead of naming the field and the limit.
import { InvalidRequestError } from "../../contracts/validation.ts";
import { findExcessiveNesting, nestingReason } from "../json/jsonNesting.ts";
import type { HttpRequest } from "./HttpRequest.ts";

/** The body as text; `expected` says what to send instead of nothing. */
export function bodyText(request: Pick<HttpRequest, "body">, expected: string): string {
  if (request.body === undefined) throw new InvalidRequestError("body", `is empty; send ${expected}`);
  return request.body;
}

/** Parses a request body; too deep a body is refused before anything recurses over it. */
export function parseJsonBody(text: string): unknown {
  const nesting = findExcessiveNesting(text);
  if (nesting) throw new InvalidRequestError("body", nestingReason(nesting));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError("body", `is not valid JSON (${(error as Error).message})`);
  }
}
