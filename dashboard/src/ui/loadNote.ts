// What a panel says when its data could not be loaded: which data, why (in the
// words of describeFailure), whether what is still shown is an older answer, and
// when it is tried again, with a button to try now. The reason is an alert, read
// out once per new reason; the countdown beside it changes every second and is not.
import { ApiError, describeFailure } from "../request/apiError.ts";
import type { LoadState } from "../request/loader.ts";
import { formatAge } from "../format.ts";
import { h } from "./dom.ts";

const reasonOf = (error: unknown) => (error instanceof ApiError ? describeFailure(error) : error instanceof Error ? error.message : String(error));

/** "Trades per coin could not be refreshed: the API answered 503." */
export function failureSentence(what: string, failure: unknown, hadData: boolean): string {
  return `${what} could not be ${hadData ? "refreshed" : "loaded"}: ${reasonOf(failure)}.`;
}

/** "retrying in 4 s · showing the answer from 2 min ago" */
export function retryStatus(state: Readonly<LoadState<unknown>>, now: number, online: boolean): string {
  const next = state.loading
    ? "retrying…"
    : state.retryAt !== undefined
      ? `retrying in ${Math.max(1, Math.ceil((state.retryAt - now) / 1000))} s`
      : online
        ? "not retried automatically"
        : "retrying when the network is back";
  return state.data !== undefined && state.dataAt !== undefined ? `${next} · showing the answer from ${formatAge(state.dataAt, now)}` : next;
}

export class LoadNote {
  /** Empty while nothing failed. */
  readonly el: HTMLElement;
  #box: { root: HTMLElement; reason: HTMLElement; status: HTMLElement; button: HTMLButtonElement } | undefined;

  constructor(
    private readonly what: string,
    private readonly retry: () => void,
    /** Marked stale (dimmed, data-stale) while it shows an answer older than a failure. */
    private readonly dataEl?: HTMLElement,
  ) {
    this.el = h("div", { class: "load-note" });
  }

  update(state: Readonly<LoadState<unknown>>, now: number): void {
    const failed = state.failure !== undefined;
    if (this.dataEl) {
      const stale = failed && state.data !== undefined;
      this.dataEl.classList.toggle("stale-data", stale);
      if (stale) this.dataEl.dataset.stale = "true";
      else delete this.dataEl.dataset.stale;
    }
    if (!failed) {
      this.#box = undefined;
      this.el.replaceChildren();
      return;
    }
    const box = (this.#box ??= this.#build());
    const sentence = failureSentence(this.what, state.failure, state.data !== undefined);
    // Unchanged text is left alone: rewriting the alert would read it out again.
    if (box.reason.textContent !== sentence) box.reason.textContent = sentence;
    box.root.dataset.failure = state.failure instanceof ApiError ? (state.failure.kind === "http" ? String(state.failure.status) : state.failure.kind) : "error";
    box.status.textContent = retryStatus(state, now, typeof navigator === "undefined" || navigator.onLine !== false);
    box.button.disabled = state.loading;
  }

  #build() {
    const reason = h("span", { class: "reason", role: "alert" });
    const status = h("span", { class: "retry-status" });
    const button = h("button", { type: "button", "aria-label": `retry loading ${this.what.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())} now`, onclick: () => this.retry() }, "retry now");
    const root = h("div", { class: "error" }, h("span", { class: "what" }, reason, " ", status), button);
    this.el.replaceChildren(root);
    return { root, reason, status, button };
  }
}
