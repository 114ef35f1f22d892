// The dashboard's request layer run in Node: the API client against a real HTTP
// server that hangs, stalls mid-answer, fails and garbles (the timeout really
// cuts the connection, each failure is classified and reported once), and the
// loader's retries, wake-ups and cancellation with short real timers.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { ApiClient } from "../../dashboard/src/api.ts";
import { ApiError } from "../../dashboard/src/request/apiError.ts";
import { Loader, type LoadState } from "../../dashboard/src/request/loader.ts";
import { Emitter } from "../../dashboard/src/emitter.ts";
import { waitFor } from "../helpers/waitFor.ts";

const TIMEOUT = 300;

describe("dashboard API client (against a local HTTP server)", () => {
  let server: Server;
  let base = "";
  const sockets = new Set<Socket>();
  /** Requests that reached the server and were closed by the client before an answer. */
  let abandoned = 0;
  const seen: Array<{ url: string; authorization: string | undefined }> = [];

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
      res.on("close", () => {
        if (!res.writableFinished) abandoned++;
      });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      switch (new URL(req.url ?? "/", "http://x").pathname) {
        case "/ok":
          return json(200, { coins: [1, 2] });
        case "/hang":
          return; // never answers
        case "/stall":
          // Headers and half a body, then nothing: the timeout covers reading the answer too.
          res.writeHead(200, { "content-type": "application/json" });
          res.write('{"coins": [');
          return;
        case "/unavailable":
          return json(503, { message: "Service Unavailable" });
        case "/unauthorized":
          return json(401, { error: "unauthorized", message: "token expired", field: "Authorization" });
        case "/forbidden":
          return json(403, { message: "missing role dashboard" });
        case "/html":
          res.writeHead(200, { "content-type": "text/html" });
          return res.end("<html>gateway</html>");
        default:
          return json(404, { message: "no route" });
      }
    });
    server.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function client() {
    const settled: Array<{ source: string | undefined; error: ApiError | undefined }> = [];
    let unauthorized = 0;
    const api = new ApiClient({
      baseUrl: base,
      token: () => "t0k3n",
      onUnauthorized: () => unauthorized++,
      onSettled: (source, error) => settled.push({ source, error }),
      timeoutMs: TIMEOUT,
    });
    return { api, settled, unauthorized: () => unauthorized };
  }

  async function failure(promise: Promise<unknown>): Promise<ApiError> {
    const error = await promise.then(() => assert.fail("expected a failure"), (e: unknown) => e);
    assert.ok(error instanceof ApiError, `an ApiError: ${String(error)}`);
    return error;
  }

  it("answers with the parsed body and the bearer token sent, reported as a success of its source", async () => {
    const { api, settled } = client();
    assert.deepEqual(await api.get("/ok", { symbol: "BTCUSDT", empty: "", none: undefined }, { source: "panel-1" }), { coins: [1, 2] });
    assert.equal(seen.at(-1)?.url, "/ok?symbol=BTCUSDT");
    assert.equal(seen.at(-1)?.authorization, "Bearer t0k3n");
    assert.deepEqual(settled, [{ source: "panel-1", error: undefined }]);
  });

  it("gives up on an API that never answers after the timeout, and closes the connection", async () => {
    const { api, settled } = client();
    const before = abandoned;
    const started = Date.now();
    const error = await failure(api.get("/hang", {}, { source: "panel-1" }));
    const took = Date.now() - started;
    assert.equal(error.kind, "timeout");
    assert.equal(error.message, "GET /hang: the API did not answer within 300 ms");
    assert.ok(took >= TIMEOUT - 20 && took < TIMEOUT + 1_000, `gave up after ${took} ms`);
    await waitFor("the server to see the request abandoned", () => abandoned > before, 2_000, 10);
    assert.equal(settled.length, 1);
    assert.equal(settled[0]!.error, error);
  });

  it("gives up on an answer that stalls half-way", async () => {
    const { api } = client();
    const error = await failure(api.get("/stall"));
    assert.equal(error.kind, "timeout");
  });

  it("classifies error answers, with the API's own message", async () => {
    const { api, settled, unauthorized } = client();
    const unavailable = await failure(api.get("/unavailable"));
    assert.equal(unavailable.message, "GET /unavailable: the API answered 503: Service Unavailable");
    const expired = await failure(api.get("/unauthorized"));
    assert.equal(expired.status, 401);
    assert.match(expired.message, /did not accept the sign-in \(401: token expired \(Authorization\)\): sign in again/);
    assert.equal(unauthorized(), 1, "a 401 asks the page to sign in again");
    assert.match((await failure(api.get("/forbidden"))).message, /refused access \(403: missing role dashboard\)/);
    assert.equal((await failure(api.get("/missing"))).status, 404);
    assert.equal(settled.length, 4, "each reported once");
  });

  it("calls an answer that is not JSON, or lacks what was asked for, malformed", async () => {
    const { api } = client();
    const html = await failure(api.get("/html"));
    assert.equal(html.kind, "malformed");
    assert.equal(html.message, 'GET /html: the API answered with malformed data: not JSON ("<html>gateway</html>")');
    const shape = await failure(api.get("/ok", {}, { check: (a) => ((a as { hours?: unknown }).hours ? undefined : 'no "hours" in the answer') }));
    assert.equal(shape.message, 'GET /ok: the API answered with malformed data: no "hours" in the answer');
  });

  it("says the API could not be reached when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const api = new ApiClient({ baseUrl: `http://127.0.0.1:${port}`, token: () => undefined, timeoutMs: TIMEOUT });
    const error = await failure(api.get("/ok"));
    assert.equal(error.kind, "network");
    assert.match(error.message, /could not be reached/);
  });

  it("reports nothing when the caller aborts (the view went away)", async () => {
    const { api, settled } = client();
    const controller = new AbortController();
    const pending = api.get("/hang", {}, { signal: controller.signal, source: "gone" });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.then(() => assert.fail("expected an abort"), (e: unknown) => e as Error);
    assert.equal(error.name, "AbortError");
    await new Promise((r) => setTimeout(r, TIMEOUT + 50));
    assert.deepEqual(settled, [], "neither a success nor a failure of the API");
  });
});

describe("dashboard loader", () => {
  const http = (status: number) => new ApiError("GET /x", "http", status, "");
  /** A load function answering from a script: an error to throw, or a value. */
  function scripted<T>(script: Array<T | Error>) {
    const calls: AbortSignal[] = [];
    const load = async ({ signal }: { signal: AbortSignal }) => {
      calls.push(signal);
      const next = script.shift();
      if (next === undefined) return new Promise<T>(() => {}); // hangs until aborted by the test's end
      if (next instanceof Error) throw next;
      return next;
    };
    return { load, calls };
  }
  const record = <T>() => {
    const states: Array<LoadState<T>> = [];
    return { states, onChange: (s: Readonly<LoadState<T>>) => void states.push({ ...s }) };
  };

  it("retries a failure on the backoff schedule, keeping the last good answer meanwhile", async () => {
    const { load, calls } = scripted<string>(["first", http(503), http(503), "second"]);
    const { states, onChange } = record<string>();
    const delays: number[] = [];
    const loader = new Loader(load, onChange, { retryDelay: (n) => (delays.push(n), 20) });
    loader.refresh();
    await waitFor("the first answer", () => loader.state.data === "first", 1_000, 5);
    loader.refresh();
    await waitFor("the retries to succeed", () => loader.state.data === "second", 1_000, 5);
    assert.deepEqual(delays, [1, 2], "attempt numbers given to the schedule");
    assert.equal(calls.length, 4);
    const failed = states.filter((s) => s.failure !== undefined && !s.loading);
    assert.equal(failed.length, 2);
    for (const s of failed) {
      assert.equal(s.data, "first", "kept through the failure");
      assert.ok(s.retryAt !== undefined, "a retry scheduled");
    }
    assert.deepEqual(loader.state.failure, undefined);
    assert.equal(loader.state.attempts, 0);
    loader.destroy();
  });

  it("does not retry on its own what waiting cannot fix, but does when asked", async () => {
    const { load, calls } = scripted<string>([http(403), "ok"]);
    const { onChange } = record<string>();
    const loader = new Loader(load, onChange, { retryDelay: () => 10 });
    loader.refresh();
    await waitFor("the failure", () => loader.state.failure !== undefined, 1_000, 5);
    assert.equal(loader.state.retryAt, undefined);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(calls.length, 1, "no automatic retry of a 403");
    loader.retryNow();
    await waitFor("the manual retry", () => loader.state.data === "ok", 1_000, 5);
    loader.destroy();
  });

  it("lets a refresh wait out the backoff, while a wake-up retries at once", async () => {
    const wake = new Emitter<void>();
    const { load, calls } = scripted<string>([http(503), "back"]);
    const { onChange } = record<string>();
    const loader = new Loader(load, onChange, { retryDelay: () => 60_000, wake: (l) => wake.on(l) });
    loader.refresh();
    await waitFor("the failure", () => loader.state.failure !== undefined, 1_000, 5);
    loader.refresh();
    loader.refresh();
    assert.equal(calls.length, 1, "refreshes do not cut the backoff short");
    wake.emit();
    await waitFor("the woken retry", () => loader.state.data === "back", 1_000, 5);
    wake.emit();
    assert.equal(calls.length, 2, "a loaded panel is not woken");
    loader.destroy();
  });

  it("waits for the network instead of burning attempts while offline", async () => {
    const wake = new Emitter<void>();
    let online = false;
    const { load, calls } = scripted<string>([new ApiError("GET /x", "offline", 0, ""), "online again"]);
    const loader = new Loader(load, () => {}, { retryDelay: () => 5, isOnline: () => online, wake: (l) => wake.on(l) });
    loader.refresh();
    await waitFor("the failure", () => loader.state.failure !== undefined, 1_000, 5);
    assert.equal(loader.state.retryAt, undefined);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(calls.length, 1);
    online = true;
    wake.emit(); // the browser's "online" event
    await waitFor("the retry", () => loader.state.data === "online again", 1_000, 5);
    loader.destroy();
  });

  it("abandons an attempt when the question changes or the view goes away", async () => {
    const released: string[] = [];
    const { load, calls } = scripted<string>(["BTC", "ETH"]);
    const { states, onChange } = record<string>();
    const loader = new Loader(async (r) => {
      const value = await load(r);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return value;
    }, onChange, { release: (id) => released.push(id) });
    loader.refresh();
    loader.restart(); // asked something else before the first answer
    await waitFor("the second answer", () => loader.state.data !== undefined, 1_000, 5);
    assert.equal(loader.state.data, "ETH", "the abandoned answer is never shown");
    assert.equal(calls[0]!.aborted, true, "the first request was aborted");
    loader.restart();
    const count = states.length;
    loader.destroy();
    assert.equal(calls[2]!.aborted, true, "destroy aborts the request in flight");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(states.length, count, "nothing reported after destroy");
    assert.deepEqual(released, [loader.id], "its failures no longer count against the API");
  });
});
