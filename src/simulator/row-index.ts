// Lookups over the world's rows without a scan per request: with 1,000 apps every app-list page
// scanned the workflow rows twice per app (5 ms a page). Rows are only ever pushed, or filtered
// into a new array, and a row's id, app_id and version never change, so an index stays valid
// while the array is the same object with the same length; otherwise it is rebuilt.

type KeyOf<T> = (row: T) => string | null;
interface Entry {
  length: number;
  rows: Map<string, unknown>;
}

const indexes = new WeakMap<readonly object[], Map<KeyOf<never>, Entry>>();

/** The first row for each key (as `Array.find` would give), keyed by `key`, a module-level function. */
export function rowsBy<T extends object>(rows: readonly T[], key: KeyOf<T>): ReadonlyMap<string, T> {
  let byKey = indexes.get(rows);
  if (byKey === undefined) indexes.set(rows, (byKey = new Map<KeyOf<never>, Entry>()));
  let entry = byKey.get(key);
  if (entry === undefined || entry.length !== rows.length) {
    const index = new Map<string, T>();
    for (const row of rows) {
      const k = key(row);
      if (k !== null && !index.has(k)) index.set(k, row);
    }
    entry = { length: rows.length, rows: index };
    byKey.set(key, entry);
  }
  return entry.rows as ReadonlyMap<string, T>;
}
