// Function logs as one readable line each. A function writes Powertools' JSON
// lines (level, message, timestamp, service, Lambda context, extra keys); the
// terminal gets `03:21:04.503 consume-prices INFO market batch stored messages=10 …`,
// without the keys every line repeats.

/** How serverless offline hands a container's line to the launcher: `λ|<function>|<stream>|<line>`. */
export const FUNCTION_LINE_PREFIX = "λ|";

export interface FunctionLogLine {
  functionKey: string;
  stream: "stdout" | "stderr";
  /** INFO, WARN, ERROR…; a line that is not Powertools JSON is INFO on stdout and ERROR on stderr. */
  level: string;
  text: string;
}

export function encodeFunctionLine(functionKey: string, stream: "stdout" | "stderr", line: string): string {
  return `${FUNCTION_LINE_PREFIX}${functionKey}|${stream}|${line}`;
}

export function decodeFunctionLine(raw: string): { functionKey: string; stream: "stdout" | "stderr"; line: string } | undefined {
  if (!raw.startsWith(FUNCTION_LINE_PREFIX)) return undefined;
  const rest = raw.slice(FUNCTION_LINE_PREFIX.length);
  const a = rest.indexOf("|");
  const b = rest.indexOf("|", a + 1);
  if (a < 0 || b < 0) return undefined;
  const stream = rest.slice(a + 1, b);
  if (stream !== "stdout" && stream !== "stderr") return undefined;
  return { functionKey: rest.slice(0, a), stream, line: rest.slice(b + 1) };
}

/** Keys Powertools adds to every line: context the one-line form leaves out. */
const CONTEXT_KEYS = new Set([
  "level",
  "message",
  "timestamp",
  "service",
  "cold_start",
  "function_arn",
  "function_memory_size",
  "function_name",
  "function_request_id",
  "xray_trace_id",
  "sampling_rate",
]);

const MAX_VALUE_CHARS = 120;
const MAX_LINE_CHARS = 600;

function valueText(value: unknown): string {
  const text = typeof value === "string" ? (/[\s=]/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function clock(timestamp: unknown): string {
  const date = typeof timestamp === "string" ? new Date(timestamp) : new Date();
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString().slice(11, 23);
}

export function parseFunctionLine(functionKey: string, stream: "stdout" | "stderr", line: string): FunctionLogLine & { time: string } {
  if (line.startsWith("{")) {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (typeof entry.message === "string" && typeof entry.level === "string") {
        const extras = Object.entries(entry)
          .filter(([key]) => !CONTEXT_KEYS.has(key))
          .map(([key, value]) => `${key}=${valueText(value)}`);
        const text = [entry.message, ...extras].join(" ");
        return { functionKey, stream, level: entry.level.toUpperCase(), text: text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS - 1)}…` : text, time: clock(entry.timestamp) };
      }
    } catch {
      // not JSON after all: shown as written
    }
  }
  return { functionKey, stream, level: stream === "stderr" ? "ERROR" : "INFO", text: line, time: clock(undefined) };
}

export function formatFunctionLine(functionKey: string, stream: "stdout" | "stderr", line: string): string {
  const parsed = parseFunctionLine(functionKey, stream, line);
  return `${parsed.time} ${parsed.functionKey} ${parsed.level} ${parsed.text}`;
}

/** WARN and above reach the terminal by default; the rest only the log file (unless --logs). */
export function isNotable(level: string): boolean {
  return level === "WARN" || level === "ERROR" || level === "CRITICAL" || level === "FATAL";
}
