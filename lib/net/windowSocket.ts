// What every collector's websocket does at the edges of its window, whatever the
// protocol: stop reading while shipping is behind, and close when the window ends.
import WebSocket from "ws";

/**
 * Stops reading (TCP backpressure reaches the sender) or reads again; a socket
 * not open yet is paused by its own "open" handler.
 */
export function setSocketPaused(ws: WebSocket | undefined, paused: boolean): void {
  if (ws?.readyState !== WebSocket.OPEN) return;
  if (paused) ws.pause();
  else ws.resume();
}

/**
 * Closes with 1000 and the window's reason; a close handshake that does not
 * finish within a second is cut, since the window must end. Resolves once closed.
 */
export async function closeWindowSocket(ws: WebSocket | undefined): Promise<void> {
  if (ws?.readyState !== WebSocket.OPEN) {
    ws?.terminate();
    return;
  }
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  ws.close(1000, "collection window over");
  const timer = setTimeout(() => ws.terminate(), 1000);
  await closed;
  clearTimeout(timer);
}
