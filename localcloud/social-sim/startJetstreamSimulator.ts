// A local server speaking Bluesky's Jetstream v1 protocol: websocket
// `/subscribe?wantedCollections=…&cursor=<time_us>`, one JSON event per text
// frame, a seeded stream (lib/social/sources/jetstream/simulate.ts) that runs
// in real time and replays from any cursor inside its history. `npm run demo`
// starts it; `npm run social-sim` runs it alone.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { JetstreamSimStream, wantsCollection } from "../../lib/social/sources/jetstream/simulate.ts";

export interface JetstreamSimulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port: number;
  seed: string;
  /** Events per second (≈ 80 % new posts). */
  rate: number;
  /** Share of new posts written to mention a coin (default 0.2). */
  coinShare?: number;
  /** How far back the stream's history reaches (cursor replay), default 1 h. */
  historySeconds?: number;
  /** Emission step, default 20 ms. */
  tickMs?: number;
  /** A client with more than this many bytes unsent is not sent more until it reads (default 4 MiB). */
  maxBufferedBytes?: number;
}

export interface JetstreamSimulatorStats {
  connections: number;
  open: number;
  eventsSent: number;
  postsSent: number;
}

export interface JetstreamSimulator {
  /** ws://host:port (a collector's SOCIAL_JETSTREAM_URL). */
  url: string;
  port: number;
  stream: JetstreamSimStream;
  /** Terminates every open connection (a network drop); returns how many. */
  dropConnections(): number;
  stats(): JetstreamSimulatorStats;
  close(): Promise<void>;
}

function refuse(socket: { end(text: string): void }, status: string, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export async function startJetstreamSimulator(options: JetstreamSimulatorOptions): Promise<JetstreamSimulator> {
  const history = (options.historySeconds ?? 3600) * 1_000_000;
  const stream = new JetstreamSimStream({ seed: options.seed, rate: options.rate, epochUs: Date.now() * 1000 - history, ...(options.coinShare !== undefined ? { coinShare: options.coinShare } : {}) });
  const tickMs = options.tickMs ?? 20;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const counters: JetstreamSimulatorStats = { connections: 0, open: 0, eventsSent: 0, postsSent: 0 };
  const sockets = new Set<WebSocket>();
  const server = createServer((_req, res) => {
    res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "websocket only: GET /subscribe" }));
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? "/", "http://sim");
    if (url.pathname !== "/subscribe") return refuse(socket, "404 Not Found", `no such path ${url.pathname}`);
    const wanted = url.searchParams.getAll("wantedCollections");
    const cursorRaw = url.searchParams.get("cursor");
    if (cursorRaw !== null && !/^\d+$/.test(cursorRaw)) return refuse(socket, "400 Bad Request", "cursor must be a unix time in microseconds");
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, wanted, cursorRaw === null ? undefined : Number(cursorRaw)));
  });

  function serve(ws: WebSocket, wanted: string[], cursorUs: number | undefined): void {
    counters.connections++;
    counters.open++;
    sockets.add(ws);
    const nowIndex = () => stream.indexAt(Date.now() * 1000 + 1);
    // A cursor in the future starts live; one before the history starts at its beginning (as Jetstream clamps).
    let next = cursorUs === undefined ? nowIndex() : Math.min(stream.indexAt(cursorUs), nowIndex());
    const timer = setInterval(() => {
      const until = nowIndex();
      while (next < until && ws.readyState === ws.OPEN && ws.bufferedAmount < maxBuffered) {
        const event = stream.event(next++);
        if (!wantsCollection(wanted, event.collection)) continue;
        ws.send(event.json);
        counters.eventsSent++;
        if (event.post) counters.postsSent++;
      }
    }, tickMs);
    ws.on("close", () => {
      clearInterval(timer);
      counters.open--;
      sockets.delete(ws);
    });
    ws.on("error", () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  return {
    url: `ws://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    stream,
    dropConnections() {
      const n = sockets.size;
      for (const ws of sockets) ws.terminate();
      return n;
    },
    stats: () => ({ ...counters }),
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
