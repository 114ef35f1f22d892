// The request side of the Hugging Face Inference API shapes the inference
// functions accept: `{ "inputs": "text" | ["text", …], "parameters"?: {…} }`.
import { z } from "zod";
import { InvalidRequestError } from "../../ingest/ingestRequest.ts";

/** Texts per request: one SQS batch of articles (title + body each) fits with room to spare. */
export const MAX_INPUTS = 64;
/** Characters per text: a long article; models truncate further themselves. */
export const MAX_INPUT_CHARS = 100_000;

export interface InferenceRequest<P> {
  texts: string[];
  /** Whether `inputs` was a single string (the answer then has the single-input shape). */
  single: boolean;
  parameters: P;
}

const inputsSchema = z.union([
  z.string().max(MAX_INPUT_CHARS),
  z.array(z.string().max(MAX_INPUT_CHARS)).min(1).max(MAX_INPUTS),
]);

function fieldOf(issue: z.core.$ZodIssue, root: string): string {
  return [root, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))].join("").replace(/\.\[/g, "[");
}

/** Parses and validates a request body; every failure names the field (`inputs`, `inputs[2]`, `parameters.max_sentences`). */
export function parseInferenceRequest<P>(body: unknown, parametersSchema: z.ZodType<P>): InferenceRequest<P> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError("body", 'must be a JSON object like {"inputs": "text"}');
  }
  const { inputs, parameters, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest).filter((k) => k !== "options");
  if (unknown.length > 0) throw new InvalidRequestError(unknown[0]!, "is not a recognised field (expected inputs, parameters)");
  if (inputs === undefined) throw new InvalidRequestError("inputs", "is required: a string or an array of strings");
  const parsedInputs = inputsSchema.safeParse(inputs);
  if (!parsedInputs.success) {
    const issue = parsedInputs.error.issues[0]!;
    const reason = Array.isArray(inputs)
      ? `must be 1 to ${MAX_INPUTS} strings of at most ${MAX_INPUT_CHARS} characters`
      : `must be a string of at most ${MAX_INPUT_CHARS} characters, or an array of them`;
    // A union reports no path; point at the offending array element when there is one.
    const bad = Array.isArray(inputs) ? inputs.findIndex((t) => typeof t !== "string" || t.length > MAX_INPUT_CHARS) : -1;
    throw new InvalidRequestError(bad >= 0 ? `inputs[${bad}]` : fieldOf(issue, "inputs"), reason);
  }
  const parsedParameters = parametersSchema.safeParse(parameters ?? {});
  if (!parsedParameters.success) {
    const issue = parsedParameters.error.issues[0]!;
    throw new InvalidRequestError(fieldOf(issue, "parameters"), issue.message);
  }
  const single = typeof parsedInputs.data === "string";
  return { texts: single ? [parsedInputs.data as string] : (parsedInputs.data as string[]), single, parameters: parsedParameters.data };
}
