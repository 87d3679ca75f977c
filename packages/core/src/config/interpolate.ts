const pattern = /\$\{\{\s*services\.([a-z][a-z0-9-]*)\.url\s*\}\}/g;

/** Service names referenced as `${{ services.<name>.url }}` in a value. */
export function serviceReferences(value: string): string[] {
  return [...value.matchAll(pattern)].map((m) => m[1]!);
}

/** Replaces `${{ services.<name>.url }}` with the URL of that service in the same environment. */
export function interpolateServiceUrls(value: string, urls: Record<string, string>): string {
  return value.replace(pattern, (whole, svc: string) => urls[svc] ?? whole);
}

const secretPattern = /\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Secret names referenced as `${{ secrets.<NAME> }}` in a value, upper case (names are case-insensitive). */
export function secretReferences(value: string): string[] {
  return [...value.matchAll(secretPattern)].map((m) => m[1]!.toUpperCase());
}

/** Replaces `${{ secrets.<NAME> }}` with the secret's value; a name without a value stays as written. */
export function interpolateSecrets(value: string, secrets: Readonly<Record<string, string>>): string {
  return value.replace(secretPattern, (whole, name: string) => secrets[name.toUpperCase()] ?? whole);
}
