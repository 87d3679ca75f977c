/** Runs tasks one at a time per key; tasks on different keys run concurrently. */
export interface KeyedLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** Creates a KeyedLock. The driver takes one per service so that an apply and a delete never interleave. */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(() => task());
      const tail = result.catch(() => {});
      tails.set(key, tail);
      // Forget the key once its queue is empty, so the map does not grow with every service ever seen.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
