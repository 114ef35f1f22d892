import { createWriteStream, existsSync, mkdirSync, renameSync, statSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { decodeFunctionLine, isNotable, parseFunctionLine } from "./functionLogLine.ts";

export interface LogRouterOptions {
  /** Folder of the log file (`<data dir>/logs`). */
  dir: string;
  /** Show every function line on the terminal, not only warnings and errors (`--logs`). */
  showAll: boolean;
  /** The file is rotated (one previous kept as `.1`) when it grows past this. Default 50 MB. */
  maxBytes?: number;
  /** Where terminal lines go; default stdout/stderr. */
  terminal?: { out(line: string): void; err(line: string): void };
}

const TAIL_LINES = 60;
/** A serverless line worth a user's attention; the rest (route tables, per-request lines) stays in the file. */
const NOTABLE_SERVERLESS_LINE = /\b(error|errors|failed|exception|refus\w*|cannot|unhandled)\b|^cryptoviz: /i;

/**
 * Where the output of `serverless offline` and of every function goes under the
 * launcher: all of it to `<data dir>/logs/cryptoviz.log`, one line per entry;
 * to the terminal only warnings and errors (every function line with --logs).
 * The last lines are kept to explain an unexpected exit.
 */
export class LogRouter {
  readonly path: string;
  readonly #options: Required<Omit<LogRouterOptions, "terminal">> & Pick<LogRouterOptions, "terminal">;
  readonly #tail: string[] = [];
  #file: WriteStream;
  #bytes = 0;

  constructor(options: LogRouterOptions) {
    this.#options = { maxBytes: 50 * 1024 * 1024, ...options };
    mkdirSync(options.dir, { recursive: true });
    this.path = join(options.dir, "cryptoviz.log");
    this.#file = this.#open(true);
  }

  /** One line `serverless offline` wrote (its own, or a function's, tagged). */
  serverlessLine(raw: string, stream: "stdout" | "stderr"): void {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, ""); // no colour codes in a file
    const fn = decodeFunctionLine(line);
    if (fn) {
      const entry = parseFunctionLine(fn.functionKey, fn.stream, fn.line);
      const text = `${entry.time} ${entry.functionKey} ${entry.level} ${entry.text}`;
      this.#write(text);
      if (this.#options.showAll || isNotable(entry.level)) this.#terminal(text, isNotable(entry.level));
      return;
    }
    if (line.trim() === "" || /^[│┌└]/.test(line.trim())) {
      this.#write(line);
      return;
    }
    const text = `${new Date().toISOString().slice(11, 23)} serverless ${line}`;
    this.#write(text);
    if (NOTABLE_SERVERLESS_LINE.test(line)) this.#terminal(text, stream === "stderr");
  }

  /** The last lines written, to explain a failure. */
  tail(): string[] {
    return [...this.#tail];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#file.end(resolve));
  }

  #open(rotateExisting: boolean): WriteStream {
    if (rotateExisting && existsSync(this.path) && statSync(this.path).size > 0) renameSync(this.path, `${this.path}.1`);
    this.#bytes = existsSync(this.path) ? statSync(this.path).size : 0;
    return createWriteStream(this.path, { flags: "a" });
  }

  #write(line: string): void {
    this.#tail.push(line);
    if (this.#tail.length > TAIL_LINES) this.#tail.shift();
    this.#bytes += Buffer.byteLength(line) + 1;
    this.#file.write(`${line}\n`);
    if (this.#bytes > this.#options.maxBytes) {
      // A long demo stays within two files' worth of disk.
      this.#file.end();
      this.#file = this.#open(true);
    }
  }

  #terminal(line: string, error: boolean): void {
    const terminal = this.#options.terminal ?? { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };
    if (error) terminal.err(line);
    else terminal.out(line);
  }
}
