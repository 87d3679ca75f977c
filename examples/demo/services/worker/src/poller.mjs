/**
 * Calls the api's item list every `intervalMs` and counts the answers. One call at a time: the next one is scheduled
 * when the previous one has finished.
 */
export function createPoller({ apiUrl, intervalMs = 2000, timeoutMs = 1500, onChange = () => {} }) {
  const stats = { successes: 0, failures: 0, lastItems: null, lastError: null, lastCheckAt: null };
  let timer;
  let inFlight;
  let healthy;

  async function pollOnce() {
    inFlight = new AbortController();
    try {
      if (!apiUrl) throw new Error('API_URL is not set');
      const res = await fetch(new URL('/api/items', apiUrl), { signal: AbortSignal.any([inFlight.signal, AbortSignal.timeout(timeoutMs)]) });
      if (!res.ok) throw new Error(`the api answered ${res.status}`);
      const { items } = await res.json();
      stats.successes += 1;
      stats.lastItems = items.length;
      stats.lastError = null;
    } catch (err) {
      if (inFlight.signal.aborted) return;
      stats.failures += 1;
      stats.lastError = err.cause?.code ?? err.cause?.message ?? err.message;
    } finally {
      stats.lastCheckAt = new Date().toISOString();
    }
    const ok = stats.lastError === null;
    if (ok !== healthy) onChange(ok, stats);
    healthy = ok;
  }

  return {
    stats: () => ({ ...stats }),
    pollOnce,
    start() {
      const tick = async () => {
        await pollOnce();
        if (timer !== null) timer = setTimeout(tick, intervalMs);
      };
      timer = setTimeout(tick, 0);
    },
    stop() {
      clearTimeout(timer);
      timer = null;
      inFlight?.abort();
    },
  };
}
