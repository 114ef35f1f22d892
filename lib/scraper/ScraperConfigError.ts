/** An invalid scraper config: which file, where inside it, and why. Raised before any browser starts. */
export class ScraperConfigError extends Error {
  override readonly name = "ScraperConfigError";
  constructor(
    readonly file: string,
    /** e.g. `tasks[2].params.cssSelector`; empty for the whole document. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${file}: ${path || "(document)"}: ${reason}`);
  }
}
