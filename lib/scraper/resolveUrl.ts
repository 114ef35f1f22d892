/**
 * Resolves config URLs against the base URL and, when the base URL is
 * overridden (a fixture site, a mirror), moves URLs on the declared origin to
 * the override: the config runs unchanged against a local copy of the site.
 */
export class UrlResolver {
  private readonly declared: URL;
  private readonly effective: URL;

  constructor(declaredBaseUrl: string, override?: string) {
    this.declared = new URL(declaredBaseUrl);
    this.effective = new URL(override ?? declaredBaseUrl);
  }

  get baseUrl(): string {
    return this.effective.toString();
  }

  resolve(url: string, relativeTo?: string): string {
    const resolved = new URL(url, relativeTo ?? this.effective);
    if (resolved.origin === this.declared.origin && this.effective.origin !== this.declared.origin) {
      const moved = new URL(resolved.pathname + resolved.search + resolved.hash, this.effective);
      // Keep a path prefix of the override (http://mirror/u.today/ + /news → /u.today/news).
      const prefix = this.effective.pathname.replace(/\/$/, "");
      if (prefix && !resolved.pathname.startsWith(prefix + "/")) moved.pathname = prefix + resolved.pathname;
      return moved.toString();
    }
    return resolved.toString();
  }
}

/** The URL as it would be on the declared site: state keys must not depend on where a copy is served. */
export function toDeclaredOrigin(resolver: UrlResolver, declaredBaseUrl: string, url: string): string {
  const declared = new URL(declaredBaseUrl);
  const effective = new URL(resolver.baseUrl);
  const u = new URL(url);
  if (u.origin !== effective.origin || effective.origin === declared.origin) return url;
  return new URL(u.pathname + u.search, declared).toString();
}
