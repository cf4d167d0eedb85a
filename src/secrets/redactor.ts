// Every secret value is registered here the moment it is read, and every byte that leaves the
// process (stdout, stderr, logs, files, PR comments, error messages) passes through redact().
// One Redactor is created per CLI run or controller and passed down as a dependency.

const MASK = '***';
/** Values shorter than this would redact ordinary words; they are still masked in whole-value positions. */
const MIN_SUBSTRING_LENGTH = 4;

export type SecretListener = (value: string) => void;

export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;
  readonly #listeners: SecretListener[] = [];

  /** Registers a secret (and its common encodings) for redaction. Returns the value, for chaining. */
  add(value: string | undefined | null): string {
    if (value == null || value === '') return value ?? '';
    for (const form of encodingsOf(value)) {
      if (form.length < MIN_SUBSTRING_LENGTH || this.#secrets.has(form)) continue;
      this.#secrets.add(form);
      this.#pattern = undefined;
      for (const listener of this.#listeners) listener(form);
    }
    return value;
  }

  /** Called for each secret registered from now on, and for those already known (e.g. ::add-mask::). */
  onSecret(listener: SecretListener): void {
    this.#listeners.push(listener);
    for (const secret of this.#secrets) listener(secret);
  }

  has(value: string): boolean {
    return this.#secrets.has(value);
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0 || text === '') return text;
    this.#pattern ??= new RegExp(
      [...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
      'g',
    );
    return text.replace(this.#pattern, MASK);
  }

  /** Deep copy of a JSON-like value with every string redacted. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactDeep(item)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.redactDeep(item);
      return out as T;
    }
    return value;
  }
}

function encodingsOf(value: string): string[] {
  const forms = new Set([value, value.trim()]);
  forms.add(Buffer.from(value, 'utf8').toString('base64'));
  forms.add(encodeURIComponent(value));
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms].filter((form) => form !== '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
