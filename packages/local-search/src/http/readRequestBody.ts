// Reads a request body within http.max_content_length, counted on the bytes as
// sent and, for gzip/deflate bodies, on the bytes they decompress to: the
// inflater is read chunk by chunk and stopped at the limit, so a small body
// that would expand to gigabytes (a decompression bomb) never does.
import type { IncomingMessage } from "node:http";
import { createGunzip, createInflate, type Gunzip, type Inflate } from "node:zlib";
import { illegalArgument, SearchError } from "../errors.ts";

/** OpenSearch's default http.max_content_length (100mb). */
export const DEFAULT_MAX_CONTENT_LENGTH = 100 * 1024 * 1024;

function tooLarge(limit: number, what: string): SearchError {
  return new SearchError(413, "content_too_long_exception", `${what} is larger than http.max_content_length [${limit}b]`);
}

async function collect(chunks: AsyncIterable<Buffer>, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit, what);
    parts.push(chunk);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function inflaterFor(encoding: string): Gunzip | Inflate | undefined {
  if (encoding.includes("gzip")) return createGunzip();
  if (encoding.includes("deflate")) return createInflate();
  return undefined;
}

export async function readRequestBody(req: IncomingMessage, limit: number = DEFAULT_MAX_CONTENT_LENGTH): Promise<Buffer> {
  const encoding = String(req.headers["content-encoding"] ?? "").toLowerCase();
  const inflater = inflaterFor(encoding);
  if (!inflater) {
    // destroyOnReturn: false — past the limit the rest is drained, not the socket cut, so the client reads the 413.
    try {
      return await collect(req.iterator({ destroyOnReturn: false }), limit, "request body");
    } finally {
      req.resume();
    }
  }
  let sent = 0;
  req.on("data", (chunk: Buffer) => {
    sent += chunk.length;
    if (sent > limit) inflater.destroy(tooLarge(limit, "request body"));
  });
  // A client that goes away mid-body would otherwise leave the inflater waiting forever.
  req.once("close", () => {
    if (!req.complete) inflater.destroy(new Error("the client closed the connection before the body ended"));
  });
  req.pipe(inflater);
  try {
    return await collect(inflater, limit, `request body decompressed (${encoding})`);
  } catch (error) {
    if (error instanceof SearchError) throw error;
    throw illegalArgument(`failed to decode ${encoding} request body: ${(error as Error).message}`);
  } finally {
    req.unpipe(inflater);
    req.resume();
  }
}
