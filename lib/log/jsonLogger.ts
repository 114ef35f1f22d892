// A LogSink for code that runs outside a Lambda handler's Powertools logger: the
// local broker, tools, a notifier created without one. Functions pass their
// Powertools Logger, which is a LogSink too.
import type { LogSink } from "./LogSink.ts";

type Level = "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
const ORDER: Record<Level, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 100 };

function threshold(): number {
  const raw = (process.env.CRYPTOVIZ_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL ?? "INFO").toUpperCase();
  return ORDER[raw as Level] ?? ORDER.INFO;
}

/** One JSON line per entry on stderr; honours CRYPTOVIZ_LOG_LEVEL (SILENT in the test runner). */
export function jsonLogger(service: string): LogSink {
  const write = (level: Level, message: string, extra?: Record<string, unknown>): void => {
    if (ORDER[level] < threshold()) return;
    const line = JSON.stringify({ level, timestamp: new Date().toISOString(), service, message, ...extra });
    process.stderr.write(line + "\n");
  };
  return {
    info: (message, extra) => write("INFO", message, extra),
    warn: (message, extra) => write("WARN", message, extra),
    error: (message, extra) => write("ERROR", message, extra),
  };
}

/** A logger that drops everything (for tests that provoke failures on purpose). */
export const silentLogger: LogSink = { info: () => {}, warn: () => {}, error: () => {} };

/** Best-effort message from whatever a library rejected with (aws-crt rejects with strings). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
