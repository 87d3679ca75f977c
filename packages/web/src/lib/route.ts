import { useSyncExternalStore } from 'react';

/** The dashboard's pages. Routing uses the URL hash so that any server path serves the same index.html. */
export type Route =
  | { page: 'overview' }
  | { page: 'runs' }
  | { page: 'run'; runId: string }
  | { page: 'releases' }
  | { page: 'events' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'runs':
      return parts[1] ? { page: 'run', runId: parts[1] } : { page: 'runs' };
    case 'releases':
      return { page: 'releases' };
    case 'events':
      return { page: 'events' };
    default:
      return { page: 'overview' };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'run':
      return `#/runs/${encodeURIComponent(route.runId)}`;
    default:
      return `#/${route.page}`;
  }
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
