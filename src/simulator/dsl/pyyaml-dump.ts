// `yaml.dump(data, allow_unicode=True)` in the way that matters for diffing and round trips:
// block style, keys sorted by code point at every level (PyYAML's default sort_keys=True),
// sequences not indented under their key, single-quoted strings where quoting is needed, no line
// folding. Written in YAML 1.1 so that strings like `yes` or `0.6` stay quoted for PyYAML.
// Whitespace and quoting details are not byte-identical to PyYAML; the simulator only promises
// that its own export → import → export is byte-stable.

import { stringify } from 'yaml';
import { compareCodePoints } from './python-json.js';

export function pyyamlDump(value: unknown): string {
  return stringify(value, {
    version: '1.1',
    sortMapEntries: (a, b) => compareCodePoints(String(a.key), String(b.key)),
    indentSeq: false,
    singleQuote: true,
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
  });
}
