// One HTTP inference function (sentiment, summarization, keywords) as a route:
// token check, JSON body in the Hugging Face Inference API shape, the task's
// answer in the same family of shapes. The model is loaded by the task itself,
// once per container (a module-level promise), not per request.
import type { z } from "zod";
import { authorizeAnyToken } from "../../http/authorizeAnyToken.ts";
import type { HttpRoute } from "../../http/HttpRequest.ts";
import { bodyText, parseJsonBody } from "../../http/jsonBody.ts";
import { errorResponse, json } from "../../http/responses.ts";
import type { LogSink } from "../../log/LogSink.ts";
import { tokensOf, type Secret } from "../../secrets/Secret.ts";
import { parseInferenceRequest, type InferenceRequest } from "./inferenceRequest.ts";

export interface InferenceTask<P> {
  /** For logs: `sentiment`, `summarization`, `keywords`. */
  name: string;
  parameters: z.ZodType<P>;
  run(request: InferenceRequest<P>): Promise<unknown>;
}

export interface InferenceRouteOptions<P> {
  task: InferenceTask<P>;
  logger: Pick<LogSink, "info">;
  /** Shared secret callers send as `Bearer <token>` (two accepted while it is rotated); unset refuses every call. */
  token: Secret;
}

export function inferenceRoute<P>({ task, logger, token }: InferenceRouteOptions<P>): HttpRoute {
  return async (request) => {
    const auth = authorizeAnyToken(request.headers.authorization, tokensOf(await token.value()), "inference is disabled: no INFERENCE_TOKEN is configured");
    if (!auth.ok) return errorResponse(401, "unauthorized", auth.reason, "Authorization");
    const inference = parseInferenceRequest(parseJsonBody(bodyText(request, '{"inputs": "text"}')), task.parameters);
    const started = performance.now();
    const answer = await task.run(inference);
    logger.info("inference done", { task: task.name, inputs: inference.texts.length, ms: Math.round(performance.now() - started) });
    return json(200, answer);
  };
}
