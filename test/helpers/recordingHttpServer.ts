// A local HTTP endpoint that records every request and answers as the test
// says: a stand-in for endpoints that cannot run here (a Hugging Face
// Inference Endpoint), answering in their documented shapes.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON (the raw text when it is not JSON). */
  body: unknown;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface RecordingHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** How the next requests are answered; change it between calls. */
  answer: (request: RecordedRequest) => Answer;
  close(): Promise<void>;
}

export async function startRecordingHttpServer(answer: (request: RecordedRequest) => Answer): Promise<RecordingHttpServer> {
  const state: RecordingHttpServer = { url: "", requests: [], answer, close: async () => {} };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    const request: RecordedRequest = { method: req.method ?? "GET", path: new URL(req.url ?? "/", "http://local").pathname, headers: req.headers, body };
    state.requests.push(request);
    const { status, body: out } = state.answer(request);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(out));
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
