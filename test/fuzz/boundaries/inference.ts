// The three inference routes (sentiment, summarization, keywords): the real
// handlers with the shipped models, any body, any Authorization header.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { lambdaContext } from "../../helpers/lambdaContext.ts";
import { deeplyNested, hostileJson, hostileText, malformedJson, plausibleText } from "../arbitraries.ts";
import type { Boundary } from "../harness.ts";
import { assertAnswered, httpEvent } from "../httpEvent.ts";

const TOKEN = "fuzz-inference-token";
const ROUTES = ["/infer/sentiment", "/infer/summarization", "/infer/keywords"] as const;
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface InferenceInput {
  route: (typeof ROUTES)[number];
  authorization: string | undefined;
  body: string;
  base64: boolean;
}

/** Parameters each route accepts, as a caller written for it would send them. */
const VALID_PARAMETERS: Record<(typeof ROUTES)[number], fc.Arbitrary<Record<string, unknown>>> = {
  "/infer/sentiment": fc.record({ top_k: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: [] }),
  "/infer/summarization": fc.record(
    { max_sentences: fc.integer({ min: 1, max: 20 }), max_chars: fc.integer({ min: 40, max: 5000 }), truncation: fc.constantFrom(true, "only_first"), max_length: fc.integer({ min: 10, max: 1024 }), min_length: fc.integer({ min: 0, max: 100 }) },
    { requiredKeys: [] },
  ),
  "/infer/keywords": fc.record({ top_k: fc.integer({ min: 1, max: 50 }) }, { requiredKeys: [] }),
};

function arbitrary(): fc.Arbitrary<InferenceInput> {
  const text = plausibleText({ maxLength: 400 }).filter((t) => t.trim() !== "");
  const valid = fc.constantFrom(...ROUTES).chain((route) =>
    fc.record({
      route: fc.constant(route),
      request: fc.record(
        { inputs: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 8 })), parameters: VALID_PARAMETERS[route], options: fc.record({ wait_for_model: fc.boolean(), use_cache: fc.boolean() }, { requiredKeys: [] }) },
        { requiredKeys: ["inputs"] },
      ),
    }),
  );
  // One thing broken, or nothing: a top-level field, a parameter or an option replaced or added.
  const hostile = fc.oneof(hostileText({ maxLength: 200 }), fc.constantFrom("", " \n\t "), fc.integer({ min: -5, max: 6000 }), fc.double(), hostileJson({ maxDepth: 2 }), fc.array(fc.oneof(text, hostileText()), { maxLength: 70 }));
  const change = fc.option(
    fc.record({ where: fc.constantFrom("", "parameters", "options"), key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom("inputs", "top_k", "max_sentences", "max_chars", "truncation", "max_length", "min_length", "wait_for_model", "use_cache", "use_gpu") }, { weight: 1, arbitrary: hostileText({ maxLength: 10 }) }), value: hostile }),
    { freq: 2 },
  );
  const request = fc.tuple(valid, change).map(([{ route, request }, c]) => {
    if (c) {
      const target = (c.where === "" ? request : ((request as Record<string, unknown>)[c.where] ??= {})) as Record<string, unknown>;
      target[c.key] = c.value;
    }
    return { route, body: JSON.stringify(request) };
  });
  const body = fc.oneof(
    { weight: 12, arbitrary: request },
    { weight: 1, arbitrary: fc.record({ route: fc.constantFrom(...ROUTES), body: hostileJson().map((v) => JSON.stringify(v) ?? "null") }) },
    { weight: 1, arbitrary: fc.record({ route: fc.constantFrom(...ROUTES), body: malformedJson }) },
    { weight: 1, arbitrary: fc.record({ route: fc.constantFrom(...ROUTES), body: deeplyNested.map((d) => `{"inputs":"x","parameters":${d}}`) }) },
  );
  return fc.record({
    request: body,
    authorization: fc.oneof({ weight: 10, arbitrary: fc.constant(`Bearer ${TOKEN}`) }, { weight: 1, arbitrary: fc.constantFrom(`Bearer ${TOKEN} extra`, "Bearer", undefined, `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`) }, { weight: 1, arbitrary: hostileText({ maxLength: 40 }) }),
    base64: fc.boolean(),
  }).map(({ request, ...rest }) => ({ ...rest, route: request.route, body: request.body }));
}

export const inferenceBoundary: Boundary<InferenceInput> = {
  name: "inference routes (POST /infer/*)",
  async start() {
    process.env.INFERENCE_TOKEN = TOKEN;
    const [sentiment, summary, keywords] = await Promise.all([
      import("../../../functions/infer-sentiment/handler.ts"),
      import("../../../functions/infer-summary/handler.ts"),
      import("../../../functions/infer-keywords/handler.ts"),
    ]);
    const handlers: Record<(typeof ROUTES)[number], Handler> = {
      "/infer/sentiment": sentiment.handler as unknown as Handler,
      "/infer/summarization": summary.handler as unknown as Handler,
      "/infer/keywords": keywords.handler as unknown as Handler,
    };
    return {
      arbitrary: arbitrary(),
      async check(input) {
        const event = httpEvent({ method: "POST", path: input.route, routeKey: `POST ${input.route}`, headers: { "content-type": "application/json", authorization: input.authorization }, body: input.body, base64: input.base64 });
        return assertAnswered(await handlers[input.route](event, lambdaContext("infer")), `POST ${input.route}`);
      },
      stop: async () => undefined,
    };
  },
};
