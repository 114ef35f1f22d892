/** The SSRF guard refused a navigation (a redirect, or a URL from a page): reported as `refused`, never retried. */
export class NavigationRefusedError extends Error {
  override readonly name = "NavigationRefusedError";
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`navigation to ${url} refused: ${reason}`);
  }
}
