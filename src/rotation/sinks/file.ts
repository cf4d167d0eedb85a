// File sink: the key plus a newline, written with writeFileAtomic (temporary file created 0600,
// fsync, rename), so a caller that re-reads the file before each request sees the old key or the
// new one, never a torn or empty file, and nobody else can read it.

import { writeFileAtomic } from '../../state/atomic-write.js';

export async function writeFileSink(path: string, value: string): Promise<void> {
  await writeFileAtomic(path, `${value}\n`, { mode: 0o600 });
}
