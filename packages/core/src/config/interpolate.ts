const pattern = /\$\{\{\s*services\.([a-z][a-z0-9-]*)\.url\s*\}\}/g;

/** Service names referenced as `${{ services.<name>.url }}` in a value. */
export function serviceReferences(value: string): string[] {
  return [...value.matchAll(pattern)].map((m) => m[1]!);
}

/** Replaces `${{ services.<name>.url }}` with the URL of that service in the same environment. */
export function interpolateServiceUrls(value: string, urls: Record<string, string>): string {
  return value.replace(pattern, (whole, svc: string) => urls[svc] ?? whole);
}
