const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding. The core may not use Buffer, and btoa needs a binary string. */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += b === undefined ? '==' : alphabet[(n >> 6) & 63]! + (c === undefined ? '=' : alphabet[n & 63]!);
  }
  return out;
}

/** The base64url form (RFC 4648 §5) of a base64 text, unpadded, as JWTs and URLs carry it. */
const toBase64Url = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * A base64 core shorter than this is not registered: it would stand for a few bytes only and mask random text. The
 * full base64 forms are always registered, however short.
 */
export const minBase64CoreLength = 8;

/**
 * The base64 forms a secret can take in a log. actions/runner registers base64 of the value and of the value without its
 * first one and two bytes (a secret inside a longer encoded text, such as `user:secret`, starts at any of the three byte
 * positions of a base64 group). Those forms end in padding, which a secret in the middle of a text does not have, so each
 * is also registered without its last partial group: the characters that depend on the secret's bytes alone.
 */
function base64Forms(value: string): string[] {
  const bytes = new TextEncoder().encode(value);
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const tail = bytes.length > shift ? bytes.subarray(shift) : bytes;
    forms.push(base64(tail));
    const core = base64(tail.subarray(0, tail.length - (tail.length % 3)));
    if (core.length >= minBase64CoreLength) forms.push(core);
  }
  return [...forms, ...forms.map(toBase64Url)];
}

/** Uri.EscapeDataString: like encodeURIComponent, but also escapes ! ' ( ) *. */
const escapeDataString = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const xmlEscapes: Record<string, string> = { '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '&': '&amp;' };

/**
 * Every form of a secret value that the masker hides: the value, its base64 forms, URL-encoded (encodeURIComponent and
 * .NET's EscapeDataString), JSON-string-escaped, XML-escaped, with the expression quote escape (''), and without
 * surrounding double quotes (for a value longer than 8) — the encoders actions/runner registers. Invalid UTF-16 (a lone
 * surrogate) cannot be URL-encoded, so that form is left out for it.
 */
export function secretForms(value: string): string[] {
  const forms = [value, ...base64Forms(value), JSON.stringify(value).slice(1, -1), value.replace(/[<>"'&]/g, (c) => xmlEscapes[c]!), value.replaceAll("'", "''")];
  try {
    forms.push(encodeURIComponent(value), escapeDataString(value));
  } catch {
    // URIError: a lone surrogate.
  }
  if (value.length > 8 && value.startsWith('"') && value.endsWith('"')) forms.push(value.slice(1, -1));
  return [...new Set(forms)].filter((form) => form !== '');
}
