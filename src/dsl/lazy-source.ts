// A DslSource that keeps only the text and parses it again if positions are ever asked for. A
// loaded repository holds every app's DSL for as long as a plan, reconcile or `serve` runs; the
// YAML Document and LineCounter behind positions are ~4× the size of the parsed value and are
// needed only while linting, so the loader swaps them for this once lint is done.

import { InternalError } from '../errors.js';
import { DEFAULT_YAML_LIMITS, parseYaml } from '../yaml/parse-yaml.js';
import type { DslSource, ParsedDslOk } from './types.js';

export function lazyDslSource(text: string): DslSource {
  let parsed: Pick<DslSource, 'doc' | 'lines'> | undefined;
  const load = (): Pick<DslSource, 'doc' | 'lines'> => {
    if (parsed !== undefined) return parsed;
    const again = parseYaml(text, { version: '1.1', limits: DEFAULT_YAML_LIMITS });
    // The text parsed once already (it is the text that was used); failing now is a bug.
    if (!again.ok) throw new InternalError('a DSL that parsed before no longer parses');
    parsed = { doc: again.doc, lines: again.lines };
    return parsed;
  };
  return {
    text,
    get doc() {
      return load().doc;
    },
    get lines() {
      return load().lines;
    },
  };
}

/** Drops the parsed DSL's YAML Document and line index (kept lazily from its text). */
export function releaseDslSource(parsed: ParsedDslOk): void {
  parsed.source = lazyDslSource(parsed.source.text);
}
