// The connection indicator in the header: live / reconnecting (attempt, next try) / offline (why).
import type { ConnectionState } from "../live/liveConnection.ts";

export function connectionText(state: ConnectionState, now: number): { text: string; title: string } {
  switch (state.kind) {
    case "connecting":
      return { text: "connecting…", title: "connecting to the live feed" };
    case "live":
      return { text: "live", title: "receiving live updates" };
    case "reconnecting": {
      const s = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      return { text: `reconnecting${s > 0 ? ` in ${s} s` : "…"}`, title: `live feed lost (${state.reason}); attempt ${state.attempt}` };
    }
    case "offline": {
      const s = state.retryAt === undefined ? 0 : Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      return { text: s > 0 ? `offline, retry in ${s} s` : "offline", title: state.reason };
    }
  }
}

export function renderConnection(el: HTMLElement, state: ConnectionState, now: number): void {
  const { text, title } = connectionText(state, now);
  el.dataset.state = state.kind;
  el.textContent = text;
  el.title = title;
}
