/** The logging the domain needs; satisfied by the Powertools Logger and by test recorders. */
export interface LogSink {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** A LogSink that can add keys to every later line of the invocation (the Powertools Logger can). */
export interface KeyedLogSink extends LogSink {
  appendKeys(keys: Record<string, unknown>): void;
}
