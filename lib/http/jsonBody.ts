// The JSON body of an HTTP API (payload v2) request, with 400s naming `body`.
// Not @middy/http-json-body-parser: that one recurses into any depth of nesting
// and answers a generic 415/422 instead of naming the field and the limit.
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { InvalidRequestError } from "../../contracts/validation.ts";
import { findExcessiveNesting, nestingReason } from "../json/jsonNesting.ts";

/** The body as text (decoded when API Gateway base64-encoded it); `expected` says what to send instead of nothing. */
export function bodyText(event: APIGatewayProxyEventV2, expected: string): string {
  if (!event.body) throw new InvalidRequestError("body", `is empty; send ${expected}`);
  return event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
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
