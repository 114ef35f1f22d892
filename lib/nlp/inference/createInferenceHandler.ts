// One HTTP inference function (sentiment, summarization, keywords): token
// check, JSON body in the Hugging Face Inference API shape, the task's answer
// in the same family of shapes. The model is loaded by the task itself, once
// per container (a module-level promise), not per request.
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import type { z } from "zod";
import { authorizeAnyToken } from "../../http/authorizeAnyToken.ts";
import { jsonErrors } from "../../http/jsonErrors.ts";
import { bodyText, parseJsonBody } from "../../http/jsonBody.ts";
import { errorResponse, json } from "../../http/responses.ts";
import { tokensOf, type Secret } from "../../secrets/Secret.ts";
import { parseInferenceRequest, type InferenceRequest } from "./inferenceRequest.ts";

export interface InferenceTask<P> {
  /** For logs: `sentiment`, `summarization`, `keywords`. */
  name: string;
  parameters: z.ZodType<P>;
  run(request: InferenceRequest<P>): Promise<unknown>;
}

export interface InferenceHandlerOptions<P> {
  task: InferenceTask<P>;
  logger: Logger;
  /** Shared secret callers send as `Bearer <token>` (two accepted while it is rotated); unset refuses every call. */
  token: Secret;
}

export function createInferenceHandler<P>({ task, logger, token }: InferenceHandlerOptions<P>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(jsonErrors(logger))
    .handler(async (event) => {
      const auth = authorizeAnyToken(event.headers.authorization, tokensOf(await token.value()), "inference is disabled: no INFERENCE_TOKEN is configured");
      if (!auth.ok) return errorResponse(401, "unauthorized", auth.reason, "Authorization");
      const request = parseInferenceRequest(parseJsonBody(bodyText(event, '{"inputs": "text"}')), task.parameters);
      const started = performance.now();
      const answer = await task.run(request);
      logger.info("inference done", { task: task.name, inputs: request.texts.length, ms: Math.round(performance.now() - started) });
      return json(200, answer);
    });
}
