// What can end an invocation in a local container, named as Lambda names them
// (errorType in the Invoke API's answer), so a caller can tell them apart.

export interface SerializedError {
  name: string;
  message: string;
  stack: string;
}

/** The handler threw or rejected: its own error, with its own stack. */
export class FunctionError extends Error {
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    this.stack = error.stack;
  }
}

/** The handler module failed to load (Lambda: Runtime.ImportModuleError / init error). */
export class InitError extends Error {
  constructor(functionKey: string, error: SerializedError) {
    super(`${functionKey}: init failed: ${error.message}`);
    this.name = "Runtime.InitError";
    if (error.stack) this.stack = `${this.name}: ${this.message}\n${error.stack}`;
  }
}

/** The invocation ran past the function's timeout; the container was stopped. */
export class TaskTimedOutError extends Error {
  constructor(functionKey: string, timeoutMs: number) {
    super(`${functionKey}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    this.name = "Sandbox.Timedout";
  }
}

/** The container's process ended during the invocation (a crash, an out-of-memory kill). */
export class RuntimeExitError extends Error {
  constructor(functionKey: string, code: number | null, signal: NodeJS.Signals | null) {
    super(`${functionKey}: Runtime exited${signal ? ` with signal ${signal}` : code !== null ? ` with error: exit status ${code}` : ""}`);
    this.name = "Runtime.ExitError";
  }
}
