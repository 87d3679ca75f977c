import { hasMarker } from './marker.js';

export interface HostComment {
  id: number | string;
  body?: string | null;
}

/** At most this many pages are read: a PR with thousands of comments gets a new one rather than an endless scan. */
const maxPages = 20;

/**
 * The first comment carrying the marker, reading pages in ascending order until a short page. `listPage` gets a
 * 1-based page number. Ascending order means the oldest marked comment wins, so that one comment is kept updated.
 */
export async function findMarkedComment(listPage: (page: number) => Promise<HostComment[]>, pageSize: number, marker: string): Promise<HostComment | undefined> {
  for (let page = 1; page <= maxPages; page++) {
    const items = await listPage(page);
    const found = items.find((c) => hasMarker(c.body, marker));
    if (found) return found;
    if (items.length < pageSize) return undefined;
  }
  return undefined;
}
