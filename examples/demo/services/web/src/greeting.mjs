/**
 * Asks the api for its greeting. Never throws: a slow or stopped api gives `{ ok: false, reason }`, so that the page
 * still renders (degraded) while the api is being deployed.
 */
export async function fetchGreeting(apiUrl, timeoutMs = 1000) {
  if (!apiUrl) return { ok: false, reason: 'API_URL is not set' };
  try {
    const res = await fetch(new URL('/api/greeting', apiUrl), { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { ok: false, reason: `the api answered ${res.status}` };
    const { message, version } = await res.json();
    return { ok: true, message, version };
  } catch (err) {
    return { ok: false, reason: err.name === 'TimeoutError' ? `the api did not answer within ${timeoutMs} ms` : `the api is unreachable (${err.cause?.code ?? err.cause?.message ?? err.message})` };
  }
}
