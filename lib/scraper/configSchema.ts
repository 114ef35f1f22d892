import { z } from "zod";
import { RESOURCE_TYPES, SINK_TYPES, type PostOp } from "./configTypes.ts";
import { compileDateFormat, offsetMinutes } from "./parseFormattedDate.ts";

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a field name (letters, digits, _)");
const timeout = z.number().int().min(1, "must be at least 1 ms").max(300_000, "must be at most 300000 ms");
const selector = z.string().trim().min(1, "must be a non-empty CSS selector");
const attributeName = z.string().regex(/^[A-Za-z_:][A-Za-z0-9_.:-]*$/, "must be text, html or an attribute name");

const attributeSpec = z.strictObject({
  as: fieldName,
  optional: z.boolean().optional(),
  all: z.boolean().optional(),
});

const navigateTask = z.strictObject({
  type: z.literal("navigate"),
  params: z.strictObject({ url: z.string().min(1, "must be a URL or a path"), timeout: timeout.optional(), skipIfScraped: z.boolean().optional() }),
  optional: z.boolean().optional(),
});

const checkPresenceTask = z.strictObject({
  type: z.literal("checkPresence"),
  params: z.strictObject({ cssSelector: selector, timeout: timeout.optional() }),
  optional: z.boolean().optional(),
});

// Nested tasks are validated one level at a time (see validateTasks) so that an
// error names the exact task, e.g. tasks[2].tasks[0].params.url, rather than a
// union failure at the parent.
const extractTask = z.strictObject({
  type: z.literal("extract"),
  params: z.strictObject({
    cssSelector: selector,
    extractAttributes: z
      .record(attributeName, attributeSpec)
      .refine((r) => Object.keys(r).length > 0, "must name at least one attribute, e.g. {text: {as: title}}")
      .optional(),
    limit: z.number().int().min(1, "must be at least 1").optional(),
    timeout: timeout.optional(),
  }),
  optional: z.boolean().optional(),
  tasks: z.array(z.unknown()).min(1, "must list at least one task when present").optional(),
});

export const TASK_SCHEMAS = { navigate: navigateTask, checkPresence: checkPresenceTask, extract: extractTask } as const;
export type TaskType = keyof typeof TASK_SCHEMAS;

function checked<T>(check: (value: T) => void) {
  return (value: T, ctx: z.core.$RefinementCtx<T>) => {
    try {
      check(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  };
}

const postOp: z.ZodType<PostOp> = z.union([
  z.enum(["trim", "absoluteUrl", "lowercase", "uppercase"]),
  z.strictObject({
    date: z.strictObject({
      format: z.string().min(1).superRefine(checked((f: string) => compileDateFormat(f))),
      timezone: z.string().superRefine(checked((t: string) => offsetMinutes(t))).optional(),
    }),
  }),
  z.strictObject({ number: z.strictObject({ decimal: z.enum([".", ","]).optional(), units: z.boolean().optional() }) }),
  z.strictObject({
    regex: z.strictObject({ pattern: z.string().superRefine(checked((p: string) => new RegExp(p))), group: z.number().int().min(0).optional() }),
  }),
  z.strictObject({ replace: z.strictObject({ pattern: z.string().superRefine(checked((p: string) => new RegExp(p, "g"))), with: z.string() }) }),
  z.strictObject({ split: z.strictObject({ separator: z.string().min(1) }) }),
]) as z.ZodType<PostOp>;

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

// A host as it appears in a URL (`cdn.example.com`, `example.com:8443`), or `*.example.com` for its subdomains.
const allowedHost = z
  .string()
  .regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, "must be a lower-case host name, optionally with :port, or *.domain");

/** The document as written; defaults are applied here so the engine never guesses. */
export const scraperConfigSchema = z.strictObject({
  domain: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, "must be a lower-case host name such as u.today"),
  // The original crawler's configs have neither: they were news crawlers, and
  // their navigate tasks carry absolute URLs (the loader derives baseUrl from the first).
  kind: z.enum(["news", "prices"]).default("news"),
  baseUrl: httpUrl.optional(),
  allowedHosts: z.array(allowedHost).max(100).default([]),
  allowPrivateNetwork: z.boolean().default(false),
  userAgent: z.string().min(1).max(512).optional(),
  blockResources: z.array(z.enum(RESOURCE_TYPES)).default(["image", "font", "media"]),
  politeness: z
    .strictObject({ delayMs: z.number().int().min(0).max(60_000).default(1000), concurrency: z.number().int().min(1).max(16).default(2) })
    .default({ delayMs: 1000, concurrency: 2 }),
  retries: z
    .strictObject({
      attempts: z.number().int().min(1).max(10).default(3),
      backoffMs: z.number().int().min(0).max(60_000).default(500),
      factor: z.number().min(1).max(10).default(2),
    })
    .default({ attempts: 3, backoffMs: 500, factor: 2 }),
  defaultTimeout: timeout.default(10_000),
  sink: z.enum(SINK_TYPES).optional(),
  webhook: z.strictObject({ url: z.string().min(1), headers: z.record(z.string(), z.string()).default({}) }).optional(),
  postProcess: z.record(fieldName, z.array(postOp).min(1)).default({}),
  tasks: z.array(z.unknown()).min(1, "must list at least one task"),
});
export type ScraperConfigInput = z.input<typeof scraperConfigSchema>;
