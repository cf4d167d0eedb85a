// Watches the repository's inputs (workflows/, schemas/, the config file) with chokidar and calls
// back once per burst of changes. Editors save in ways that look like several events: write a
// temp file and rename it over the original, or (vim) rename the original to a backup, write a
// new file, delete the backup. chokidar's `atomic` folds an unlink followed by an add of the same
// path into one change, `awaitWriteFinish` waits until a file stops growing, temp, swap and backup
// files are ignored, and a debounce turns what is left into one callback.

import { watch, type FSWatcher } from 'chokidar';
import { basename } from 'node:path';

export interface FileWatchOptions {
  /** Files and directories to watch (missing ones are watched for creation). */
  paths: string[];
  debounceMs?: number;
  /** Called once per quiet period with the paths that changed (sorted, de-duplicated). */
  onChange(paths: string[]): void;
  onError?(error: unknown): void;
}

export interface FileWatch {
  /** Resolves when the initial scan is done: changes after it are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Editor by-products: vim swap files (.swp, .swx, 4913), backups (~, .bak), temp files of atomic saves. */
export function isEditorScratch(path: string): boolean {
  const name = basename(path);
  return /\.sw[a-p]$|\.swx$|~$|\.bak$|\.orig$|\.tmp$|\.tmp[-.][^/]*$|^4913$|^\.#|^#.*#$/.test(name) || /^\..*\.(tmp|temp)\.[^/]*$/.test(name);
}

export function watchFiles(options: FileWatchOptions): FileWatch {
  const debounceMs = options.debounceMs ?? 300;
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(options.paths, {
    ignoreInitial: true,
    atomic: 100,
    awaitWriteFinish: { stabilityThreshold: 80, pollInterval: 20 },
    ignored: (path) => isEditorScratch(path) || basename(path) === '.git' || basename(path) === 'node_modules',
  });
  const note = (path: string): void => {
    if (isEditorScratch(path)) return;
    changed.add(path);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const paths = [...changed].sort();
      changed.clear();
      options.onChange(paths);
    }, debounceMs);
  };
  for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, note);
  watcher.on('error', (error) => options.onError?.(error));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer !== undefined) clearTimeout(timer);
      await watcher.close();
    },
  };
}
