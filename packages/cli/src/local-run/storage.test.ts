import { describe, expect, it } from 'vitest';
import { localStorageDir } from './storage.js';

describe('localStorageDir', () => {
  it('is one directory per repository path under the XDG cache', () => {
    const a = localStorageDir('/src/my shop', { XDG_CACHE_HOME: '/c' });
    expect(a).toMatch(/^\/c\/slipway\/local\/my-shop-[0-9a-f]{12}$/);
    expect(localStorageDir('/src/my shop', { XDG_CACHE_HOME: '/c' })).toBe(a);
    expect(localStorageDir('/other/my shop', { XDG_CACHE_HOME: '/c' })).not.toBe(a);
    expect(localStorageDir('/src/x', {})).toMatch(/\/\.cache\/slipway\/local\/x-/);
  });
});
