import { useSyncExternalStore } from 'react';

/** The dashboard's pages. Routing uses the URL hash so that any server path serves the same index.html. */
export type Route =
  | { page: 'overview' }
  | { page: 'runs' }
  | { page: 'run'; runId: string }
  | { page: 'step'; runId: string; stepId: string }
  | { page: 'releases' }
  | { page: 'rollouts' }
  | { page: 'release'; releaseId: string }
  | { page: 'plan'; branch?: string; pr?: number }
  | { page: 'insights' }
  | { page: 'history'; offset?: number }
  | { page: 'promotion'; promotionId: string }
  | { page: 'events' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'runs':
      if (parts[1] && parts[2] === 'steps' && parts[3]) return { page: 'step', runId: parts[1], stepId: parts[3] };
      return parts[1] ? { page: 'run', runId: parts[1] } : { page: 'runs' };
    case 'releases':
      return parts[1] ? { page: 'release', releaseId: parts[1] } : { page: 'releases' };
    case 'plan':
      if (parts[1] === 'branch' && parts[2]) return { page: 'plan', branch: parts.slice(2).join('/') };
      if (parts[1] === 'pr' && /^\d+$/.test(parts[2] ?? '')) return { page: 'plan', pr: Number(parts[2]) };
      return { page: 'plan' };
    case 'events':
      return { page: 'events' };
    case 'rollouts':
      return { page: 'rollouts' };
    case 'insights':
      return { page: 'insights' };
    case 'history':
      return /^\d+$/.test(parts[1] ?? '') ? { page: 'history', offset: Number(parts[1]) } : { page: 'history' };
    case 'promotions':
      return parts[1] ? { page: 'promotion', promotionId: parts[1] } : { page: 'history' };
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
    case 'step':
      return `#/runs/${encodeURIComponent(route.runId)}/steps/${encodeURIComponent(route.stepId)}`;
    case 'promotion':
      return `#/promotions/${encodeURIComponent(route.promotionId)}`;
    case 'release':
      return `#/releases/${encodeURIComponent(route.releaseId)}`;
    case 'history':
      return route.offset ? `#/history/${route.offset}` : '#/history';
    case 'plan':
      return route.branch !== undefined ? `#/plan/branch/${route.branch.split('/').map(encodeURIComponent).join('/')}` : route.pr !== undefined ? `#/plan/pr/${route.pr}` : '#/plan';
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
