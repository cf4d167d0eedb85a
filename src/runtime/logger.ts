// The controller's structured log: pino JSON lines, every line passed through the Redactor on its
// way out (a destination that redacts), so a secret registered at any time, even after the logger
// was made, never reaches the log, whichever field or message it hides in.

import { pino, type Logger } from 'pino';
import type { Redactor } from '../secrets/redactor.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  redactor: Redactor;
  /** Receives each finished line (newline included); default stdout. */
  write?: (line: string) => void;
  level?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const destination = { write: (line: string) => write(options.redactor.redact(line)) };
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'dify-gitops' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
