// Delivery ids (X-GitHub-Delivery) seen recently, so a redelivered or replayed webhook does not
// run twice. Bounded: the oldest ids are forgotten first (insertion order of a Set), so memory
// stays constant however many deliveries arrive.

export interface DeliveryCache {
  /** True the first time an id is seen (and remembers it); false for a repeat. */
  remember(id: string): boolean;
  readonly size: number;
}

export function createDeliveryCache(capacity = 1000): DeliveryCache {
  const seen = new Set<string>();
  return {
    remember(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      if (seen.size > capacity) seen.delete(seen.values().next().value as string);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
