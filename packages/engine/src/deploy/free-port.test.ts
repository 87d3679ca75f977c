import { describe, expect, it } from 'vitest';
import { freePort, freePortExcept } from './free-port.js';

describe('freePortExcept', () => {
  it('never gives a port already chosen, though the kernel hands the same one out again', async () => {
    const taken = new Set<number>();
    for (let i = 0; i < 200; i++) taken.add(await freePortExcept(taken));
    expect(taken.size).toBe(200);
    const again = await freePort();
    expect(await freePortExcept(new Set([again]))).not.toBe(again);
  });
});
