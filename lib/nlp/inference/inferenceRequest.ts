// The request side of the Hugging Face Inference API shapes the inference
// functions accept: `{ "inputs": "text" | ["text", …], "parameters"?: {…} }`.
import { z } from "zod";
import { InvalidRequestError } from "../../../contracts/validation.ts";

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

// Blank texts are refused: a classifier or summariser answers them with noise,
// and a caller sending one has a bug worth hearing about.
const text = z.string().max(MAX_INPUT_CHARS).refine((t) => t.trim() !== "");
const inputsSchema = z.union([text, z.array(text).min(1).max(MAX_INPUTS)]);

/** Hugging Face's request options: accepted for compatibility (the model is always loaded; nothing is cached). */
const optionsSchema = z.strictObject({ wait_for_model: z.boolean().optional(), use_cache: z.boolean().optional() });

function fieldOf(issue: z.core.$ZodIssue, root: string): string {
  // An unknown key is reported on its object; name the key itself (`parameters.top_p`).
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
  return [root, ...path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))].join("").replace(/\.\[/g, "[");
}

const badText = (t: unknown) => typeof t !== "string" || t.length > MAX_INPUT_CHARS || t.trim() === "";

/** Parses and validates a request body; every failure names the field (`inputs`, `inputs[2]`, `parameters.max_sentences`, `options.use_cache`). */
export function parseInferenceRequest<P>(body: unknown, parametersSchema: z.ZodType<P>): InferenceRequest<P> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError("body", 'must be a JSON object like {"inputs": "text"}');
  }
  const { inputs, parameters, options, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  // An empty key is still named: `""`, not an answer that names nothing.
  if (unknown.length > 0) throw new InvalidRequestError(unknown[0] || '""', "is not a recognised field (expected inputs, parameters, options)");
  if (inputs === undefined) throw new InvalidRequestError("inputs", "is required: a string or an array of strings");
  const parsedInputs = inputsSchema.safeParse(inputs);
  if (!parsedInputs.success) {
    const issue = parsedInputs.error.issues[0]!;
    const reason = Array.isArray(inputs)
      ? `must be 1 to ${MAX_INPUTS} non-blank strings of at most ${MAX_INPUT_CHARS} characters`
      : `must be a non-blank string of at most ${MAX_INPUT_CHARS} characters, or an array of them`;
    // A union reports no path; point at the offending array element when there is one.
    const bad = Array.isArray(inputs) ? inputs.findIndex(badText) : -1;
    throw new InvalidRequestError(bad >= 0 ? `inputs[${bad}]` : fieldOf(issue, "inputs"), reason);
  }
  if (parameters !== undefined && (typeof parameters !== "object" || parameters === null || Array.isArray(parameters))) {
    throw new InvalidRequestError("parameters", "must be an object");
  }
  const parsedParameters = parametersSchema.safeParse(parameters ?? {});
  if (!parsedParameters.success) {
    const issue = parsedParameters.error.issues[0]!;
    throw new InvalidRequestError(fieldOf(issue, "parameters"), issue.code === "unrecognized_keys" ? "is not a parameter of this task" : issue.message);
  }
  if (options !== undefined) {
    if (typeof options !== "object" || options === null || Array.isArray(options)) throw new InvalidRequestError("options", "must be an object like {\"wait_for_model\": true}");
    const parsedOptions = optionsSchema.safeParse(options);
    if (!parsedOptions.success) {
      const issue = parsedOptions.error.issues[0]!;
      throw new InvalidRequestError(fieldOf(issue, "options"), issue.code === "unrecognized_keys" ? "is not an option (expected wait_for_model, use_cache)" : "must be a boolean");
    }
  }
  const single = typeof parsedInputs.data === "string";
  return { texts: single ? [parsedInputs.data as string] : (parsedInputs.data as string[]), single, parameters: parsedParameters.data };
}
