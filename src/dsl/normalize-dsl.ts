// Placeholder: see the follow-up commit.
import type { DslDocument } from './types.js';

export interface IgnoreRule {
  /** JSON-pointer pattern over the normalised document; `*` one segment, `**` any number. */
  path: string;
  /** Only for nodes whose data.type is this. */
  nodeType?: string;
}

export interface NormalizeOptions {
  ignore?: readonly IgnoreRule[];
}

/** A DslDocument in canonical form: same shape, UI noise and export artefacts removed. */
export type NormalizedDsl = DslDocument & { readonly __normalized?: never };

export function normalizeDsl(dsl: DslDocument, _options: NormalizeOptions = {}): NormalizedDsl {
  return structuredClone(dsl);
}
