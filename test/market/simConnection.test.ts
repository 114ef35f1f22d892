// The simulator's socket coalesces the frames of one tick into few writes (a
// syscall per frame was most of its CPU at 20k trades/s), bounded so that an
// overloaded tick does not become one giant write.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import WebSocket, { WebSocketServer } from "ws";
import { newCounters, SimConnection } from "../../localcloud/market-sim/SimConnection.ts";
import { waitFor } from "../helpers/waitFor.ts";

describe("SimConnection", () => {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  let conn: SimConnection;
  let socket: Socket;
  let client: WebSocket;
  const received: string[] = [];

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on("message", (m) => received.push(String(m)));
    const ws = await accepted;
    conn = new SimConnection("binance", ws, newCounters(), 64 * 1024 * 1024);
    socket = (ws as unknown as { _socket: Socket })._socket;
  });
  after(async () => {
    client.terminate();
    wss.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("holds a tick's frames in one cork and delivers them all, in order, after the tick", async () => {
    received.length = 0;
    for (let i = 0; i < 200; i++) conn.send(`{"n":${i}}`);
    assert.ok(socket.writableCorked > 0, "the socket is corked for the rest of the tick");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(socket.writableCorked, 0, "uncorked once the tick is over");
    await waitFor("200 frames", () => received.length === 200);
    assert.deepEqual(received, Array.from({ length: 200 }, (_, i) => `{"n":${i}}`));
  });

  it("writes out a cork that reaches 64 KB within the tick rather than holding the whole tick", async () => {
    received.length = 0;
    const frame = JSON.stringify({ pad: "x".repeat(1000) });
    let uncorkedAt = -1;
    for (let i = 0; i < 200 && uncorkedAt < 0; i++) {
      conn.send(frame);
      if (socket.writableCorked === 0) uncorkedAt = i + 1;
    }
    assert.ok(uncorkedAt > 1 && uncorkedAt * frame.length >= 64 * 1024 && (uncorkedAt - 1) * frame.length < 64 * 1024, `uncorked after ${uncorkedAt} frames`);
    await waitFor("every frame", () => received.length === uncorkedAt);
  });
});
