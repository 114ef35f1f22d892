// The connection indicator in the header. "live" promises two things: the broker
// has acknowledged the subscriptions (live updates arrive) and the API answers
// (what the views fetch is current). Either missing, the badge says which.
import type { ConnectionState } from "../live/liveConnection.ts";
import { badgeSummary, describeFailure } from "../request/apiError.ts";
import type { ApiStatus } from "../request/apiHealth.ts";

/** The badge's data-state: the feed's states, plus live-but-the-API-fails. */
export type BadgeState = ConnectionState["kind"] | "degraded";

export function connectionText(state: ConnectionState, api: ApiStatus, now: number): { state: BadgeState; text: string; title: string } {
  const apiTrouble = api.kind === "failing" ? `${api.failure.request}: ${describeFailure(api.failure)}` : undefined;
  const also = apiTrouble ? `; the API is failing too (${apiTrouble})` : "";
  switch (state.kind) {
    case "connecting":
      return { state: "connecting", text: "connecting…", title: `connecting to the live feed${also}` };
    case "live":
      if (api.kind === "failing") return { state: "degraded", text: `live feed, ${badgeSummary(api.failure)}`, title: `receiving live updates, but ${apiTrouble}` };
      if (api.kind === "unknown") return { state: "connecting", text: "connecting…", title: "live feed connected; waiting for the API's first answer" };
      return { state: "live", text: "live", title: "receiving live updates; the API answers" };
    case "reconnecting": {
      const s = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      return { state: "reconnecting", text: `reconnecting${s > 0 ? ` in ${s} s` : "…"}`, title: `live feed lost (${state.reason}); attempt ${state.attempt}${also}` };
    }
    case "offline": {
      const s = state.retryAt === undefined ? 0 : Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      return { state: "offline", text: s > 0 ? `offline, retry in ${s} s` : "offline", title: `${state.reason}${also}` };
    }
  }
}

export function renderConnection(el: HTMLElement, state: ConnectionState, api: ApiStatus, now: number): void {
  const shown = connectionText(state, api, now);
  el.dataset.state = shown.state;
  // Unchanged text is left alone: this is a status region, and a rewrite is read out again.
  if (el.textContent !== shown.text) el.textContent = shown.text;
  el.title = shown.title;
}
