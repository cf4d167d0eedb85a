// Captures what is written to process.stdout while `fn` runs. @actions/core writes workflow
// commands (::error::, ::add-mask::) straight to process.stdout; tests read them back here.
// The original write is restored even when `fn` throws.

export async function captureStdout(fn: () => unknown): Promise<string> {
  const original = process.stdout.write.bind(process.stdout);
  let captured = '';
  const write = (chunk: string | Uint8Array): boolean => {
    captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  process.stdout.write = write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return captured;
}
