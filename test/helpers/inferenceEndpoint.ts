// One inference function served over HTTP the way API Gateway invokes it, for
// its handler test (functions/infer-*/handler.test.ts): the Hugging Face client
// and plain requests reach the real handler, configured with a test token.
import assert from "node:assert/strict";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { InferenceClient } from "@huggingface/inference";
import { serveHttpLambda, type HttpLambdaServer } from "./serveHttpLambda.ts";

export const INFERENCE_TEST_TOKEN = "inference-test-token";

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface InferenceEndpoint {
  /** The function's URL, e.g. http://127.0.0.1:PORT/infer/sentiment. */
  url: string;
  /** A Hugging Face client holding the token (`client.endpoint(url)`). */
  client: InferenceClient;
  /** POSTs `body` (JSON unless a string) with `Bearer <token>`; no header when `token` is "". */
  post(body: unknown, token?: string): Promise<Response>;
  /** Each body is refused with 400 naming `field`. */
  assertRefusals(cases: ReadonlyArray<readonly [body: unknown, field: string]>): Promise<void>;
  close(): Promise<void>;
}

/** Sets INFERENCE_TOKEN, then loads the handler module (its cold start reads the token) and serves it at `path`. */
export async function serveInferenceFunction(path: string, load: () => Promise<{ handler: unknown }>): Promise<InferenceEndpoint> {
  process.env.INFERENCE_TOKEN = INFERENCE_TEST_TOKEN;
  const { handler } = await load();
  const server: HttpLambdaServer = await serveHttpLambda({ [`POST ${path}`]: handler as HttpHandler });
  const url = `${server.url}${path}`;
  const post = (body: unknown, token = INFERENCE_TEST_TOKEN) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return {
    url,
    client: new InferenceClient(INFERENCE_TEST_TOKEN),
    post,
    async assertRefusals(cases) {
      for (const [body, field] of cases) {
        const r = await post(body);
        const answer = (await r.json()) as { field?: string };
        assert.deepEqual([r.status, answer.field], [400, field], `${path} ${JSON.stringify(body).slice(0, 60)}`);
      }
    },
    close: () => server.close(),
  };
}
