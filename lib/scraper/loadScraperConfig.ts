import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { formatIssuePath } from "../../contracts/validation.ts";
import type { NavigateTask, ScraperConfig, Task } from "./configTypes.ts";
import { checkValueNesting, checkYamlNesting } from "./configNesting.ts";
import { scraperConfigSchema, TASK_SCHEMAS, type TaskType } from "./configSchema.ts";
import { NavigationPolicy, navigationRules } from "./navigation/NavigationPolicy.ts";
import { ScraperConfigError } from "./ScraperConfigError.ts";
import { placeholders } from "./substitute.ts";

function fail(file: string, issue: z.core.$ZodIssue, prefix: string): never {
  throw new ScraperConfigError(file, formatIssuePath(prefix, issue.path), issue.message);
}

function validateTasks(file: string, raw: unknown[], prefix: string): Task[] {
  return raw.map((item, i) => {
    const path = `${prefix}[${i}]`;
    const type = (item as { type?: unknown } | null)?.type;
    if (typeof item !== "object" || item === null) throw new ScraperConfigError(file, path, "must be a task object with a type");
    if (typeof type !== "string" || !(type in TASK_SCHEMAS)) {
      throw new ScraperConfigError(file, `${path}.type`, `must be one of ${Object.keys(TASK_SCHEMAS).join(", ")}, got ${JSON.stringify(type)}`);
    }
    const result = TASK_SCHEMAS[type as TaskType].safeParse(item);
    if (!result.success) fail(file, result.error.issues[0]!, path);
    const task = result.data as Task & { tasks?: unknown[] };
    if (task.type === "extract") {
      // Without attributes an extract only scopes its nested tasks (a table row); without either it does nothing.
      if (!task.params.extractAttributes && !task.tasks) {
        throw new ScraperConfigError(file, `${path}.params.extractAttributes`, "is required when the task has no nested tasks, e.g. {text: {as: title}}");
      }
      task.params.extractAttributes ??= {};
      if (task.tasks) task.tasks = validateTasks(file, task.tasks, `${path}.tasks`);
    }
    return task as Task;
  });
}

/**
 * `$name` may only name a field extracted by an enclosing or earlier task:
 * a typo fails at load, not as an unreachable URL at 3 a.m.
 */
function checkReferences(file: string, tasks: Task[], prefix: string, known: Set<string>): void {
  tasks.forEach((task, i) => {
    const path = `${prefix}[${i}]`;
    const strings: Array<[string, string]> =
      task.type === "navigate" ? [["params.url", task.params.url]] : [["params.cssSelector", task.params.cssSelector]];
    for (const [where, text] of strings) {
      for (const name of placeholders(text)) {
        if (!known.has(name)) {
          const list = [...known].join(", ") || "none yet";
          throw new ScraperConfigError(file, `${path}.${where}`, `$${name} is not extracted by an enclosing or earlier task (known: ${list})`);
        }
      }
    }
    if (task.type === "extract") {
      const produced = Object.values(task.params.extractAttributes).map((a) => a.as);
      if (task.tasks) checkReferences(file, task.tasks, `${path}.tasks`, new Set([...known, ...produced]));
      for (const name of produced) known.add(name);
    }
  });
}

function fieldsOf(tasks: Task[], out = new Set<string>()): Set<string> {
  for (const task of tasks) {
    if (task.type !== "extract") continue;
    for (const spec of Object.values(task.params.extractAttributes)) out.add(spec.as);
    if (task.tasks) fieldsOf(task.tasks, out);
  }
  return out;
}

/** Every navigate task with its path, in document order. */
function navigations(tasks: Task[], prefix: string, out: Array<[string, NavigateTask]> = []): Array<[string, NavigateTask]> {
  tasks.forEach((task, i) => {
    if (task.type === "navigate") out.push([`${prefix}[${i}]`, task]);
    else if (task.type === "extract" && task.tasks) navigations(task.tasks, `${prefix}[${i}].tasks`, out);
  });
  return out;
}

/** The original crawler's configs have no baseUrl: its origin is that of the first absolute navigate URL. */
function baseUrlFrom(file: string, tasks: Task[]): string {
  for (const [, task] of navigations(tasks, "tasks")) {
    const url = task.params.url;
    if (placeholders(url).length === 0 && /^https?:\/\//i.test(url) && URL.canParse(url)) return new URL(url).origin;
  }
  throw new ScraperConfigError(file, "baseUrl", "is required when no navigate task has an absolute http(s) URL to take it from");
}

/** Literal navigate URLs are checked against the SSRF guard now, not found refused at 3 a.m. (`$name` URLs are checked as they run). */
function checkNavigationTargets(file: string, tasks: Task[], policy: NavigationPolicy, baseUrl: string): void {
  for (const [path, task] of navigations(tasks, "tasks")) {
    if (placeholders(task.params.url).length > 0) continue;
    const url = URL.canParse(task.params.url, baseUrl) ? new URL(task.params.url, baseUrl).toString() : task.params.url;
    const refusal = policy.refuseUrl(url);
    if (refusal) throw new ScraperConfigError(file, `${path}.params.url`, refusal);
  }
}

/** Validates a parsed document; `file` only labels the errors. */
export function validateScraperConfig(file: string, document: unknown): ScraperConfig {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new ScraperConfigError(file, "", "must be a mapping with domain, tasks and, unless a navigate URL is absolute, baseUrl");
  }
  checkValueNesting(file, document);
  const result = scraperConfigSchema.safeParse(document);
  if (!result.success) fail(file, result.error.issues[0]!, "");
  const { sink, webhook, tasks: rawTasks, baseUrl: declaredBaseUrl, ...rest } = result.data;
  const tasks = validateTasks(file, rawTasks, "tasks");
  if (tasks[0]!.type !== "navigate") throw new ScraperConfigError(file, "tasks[0].type", "the first task must be navigate (there is no page before it)");
  const baseUrl = declaredBaseUrl ?? baseUrlFrom(file, tasks);
  checkNavigationTargets(file, tasks, new NavigationPolicy(navigationRules({ ...rest, baseUrl })), baseUrl);
  checkReferences(file, tasks, "tasks", new Set());
  const fields = fieldsOf(tasks);
  for (const name of Object.keys(rest.postProcess)) {
    if (!fields.has(name)) throw new ScraperConfigError(file, `postProcess.${name}`, `no task extracts a field "${name}" (fields: ${[...fields].join(", ")})`);
  }
  // The original crawler's configs carry only a webhook block: they keep posting to it.
  const effectiveSink = sink ?? (webhook ? "webhook" : "sqs");
  if (effectiveSink === "webhook" && !webhook) throw new ScraperConfigError(file, "webhook", "is required when sink is webhook (url and headers)");
  return { ...rest, baseUrl, sink: effectiveSink, ...(webhook ? { webhook } : {}), tasks };
}

export function parseScraperConfig(file: string, text: string): ScraperConfig {
  checkYamlNesting(file, text);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const where = error.linePos?.[0] ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "";
    throw new ScraperConfigError(file, where, `not valid YAML (${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")})`);
  }
  let document: unknown;
  try {
    document = doc.toJS();
  } catch (error) {
    // e.g. yaml's guard against alias expansion ("billion laughs").
    throw new ScraperConfigError(file, "", `not usable YAML (${(error as Error).message.split("\n")[0]})`);
  }
  return validateScraperConfig(file, document);
}

export async function loadScraperConfig(file: string): Promise<ScraperConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ScraperConfigError(file, "", `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseScraperConfig(file, text);
}
