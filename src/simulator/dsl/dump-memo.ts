// Exports are dumped far more often than apps change (a plan or reconcile of N apps exports each
// one, over and over), and dumping YAML is the simulator's most expensive step. The dump is a pure
// function of its input, so a small bounded memo keyed by the input's JSON (native, and much
// cheaper than dumping) returns byte-identical output without the work.

const MAX_ENTRIES = 512;

export function memoizeDump(dump: (value: unknown) => string): (value: unknown) => string {
  const memo = new Map<string, string>();
  return (value) => {
    const key = JSON.stringify(value);
    const hit = memo.get(key);
    if (hit !== undefined) {
      // Refresh recency: Map keeps insertion order, so re-inserting makes this the newest entry.
      memo.delete(key);
      memo.set(key, hit);
      return hit;
    }
    const text = dump(value);
    memo.set(key, text);
    if (memo.size > MAX_ENTRIES) memo.delete(memo.keys().next().value as string);
    return text;
  };
}
