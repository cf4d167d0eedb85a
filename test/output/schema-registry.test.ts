// compileOutputSchemas: YAML and JSON schema files → one registry looked up by name or path, with
// every broken file reported as a Diagnostic naming file, line and column.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { compileOutputSchemas, outputSchemaName } from '../../src/output/schema-registry.js';

const TICKET_YAML = 'type: object\nrequired: [priority]\nproperties:\n  priority:\n    enum: [low, medium, high]\n';

describe('compileOutputSchemas: lookups', () => {
  it('compiles YAML and JSON schemas and finds them by name and by path', () => {
    const { registry, diagnostics } = compileOutputSchemas([
      { path: 'schemas/outputs/ticket.schema.yaml', text: TICKET_YAML },
      { path: 'schemas/outputs/summary.schema.json', text: '{"type": "object", "required": ["text"]}' },
      { name: 'custom', path: 'apps/triage/answer.json', text: '{"type": "string"}' },
    ]);
    expect(diagnostics).toEqual([]);
    expect(registry.schemas.map((s) => [s.name, s.path])).toEqual([
      ['ticket', 'schemas/outputs/ticket.schema.yaml'],
      ['summary', 'schemas/outputs/summary.schema.json'],
      ['custom', 'apps/triage/answer.json'],
    ]);
    expect(registry.get('ticket')?.path).toBe('schemas/outputs/ticket.schema.yaml');
    expect(registry.get('./schemas/outputs/summary.schema.json')?.name).toBe('summary');
    expect(registry.get('apps\\triage\\answer.json')?.name).toBe('custom');
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.get('ticket')!.check({ priority: 'urgent' })).toEqual(['/priority: must be one of low, medium, high']);
    expect(registry.get('ticket')!.check({ priority: 'low' })).toEqual([]);
  });

  it('compiles each schema once: repeated lookups return the same validator', () => {
    const { registry } = compileOutputSchemas([{ path: 'schemas/outputs/ticket.schema.yaml', text: TICKET_YAML }]);
    expect(registry.get('ticket')!.validate).toBe(registry.get('schemas/outputs/ticket.schema.yaml')!.validate);
  });

  it('resolves $ref between schemas by $id, in any file order', () => {
    const { registry, diagnostics } = compileOutputSchemas([
      { path: 'schemas/outputs/ticket.schema.yaml', text: 'type: object\nproperties:\n  owner:\n    $ref: "https://example.com/person.json"\n' },
      { path: 'schemas/outputs/person.schema.yaml', text: '$id: "https://example.com/person.json"\ntype: object\nrequired: [email]\nproperties:\n  email: { type: string, format: email }\n' },
    ]);
    expect(diagnostics).toEqual([]);
    expect(registry.get('ticket')!.check({ owner: { email: 'not-an-email' } })).toEqual(['/owner/email: must be a valid email']);
  });

  it('supports draft 2020-12 and 2019-09 when $schema says so', () => {
    const { registry, diagnostics } = compileOutputSchemas([
      { path: 'a.schema.yaml', text: '$schema: "https://json-schema.org/draft/2020-12/schema"\ntype: array\nprefixItems: [{ type: integer }]\nitems: false\n' },
      { path: 'b.schema.yaml', text: '$schema: "https://json-schema.org/draft/2019-09/schema"\ntype: object\nunevaluatedProperties: false\nproperties: { a: { type: integer } }\n' },
    ]);
    expect(diagnostics).toEqual([]);
    expect(registry.get('a')!.check([1, 2])).toEqual(['/: must NOT have more than 1 items']);
    expect(registry.get('b')!.check({ a: 1, z: 2 })).toEqual(['/z: is not allowed by the schema']);
  });

  it('derives names from file names', () => {
    expect(outputSchemaName('schemas/outputs/ticket.schema.yaml')).toBe('ticket');
    expect(outputSchemaName('x/ticket.schema.YML')).toBe('ticket');
    expect(outputSchemaName('x\\y\\answer.json')).toBe('answer');
    expect(outputSchemaName('plain.yaml')).toBe('plain');
  });
});

describe('compileOutputSchemas: broken files are diagnostics with positions', () => {
  function diagnose(text: string, path = 'schemas/outputs/bad.schema.yaml'): string[] {
    const { registry, diagnostics } = compileOutputSchemas([
      { path, text },
      { path: 'schemas/outputs/ticket.schema.yaml', text: TICKET_YAML },
    ]);
    // One broken file never takes the others down.
    expect(registry.get('ticket')).toBeDefined();
    expect(registry.get('bad')).toBeUndefined();
    return diagnostics.map(formatDiagnostic);
  }

  it('YAML syntax errors name the line', () => {
    expect(diagnose('type: object\nproperties:\n  a: [1, 2\n')).toEqual([
      'schemas/outputs/bad.schema.yaml:4:1: error yaml-syntax Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('a JSON syntax error in a .json schema names the line', () => {
    const lines = diagnose('{\n  "type": "object",\n  "required": ["a",\n}\n', 'schemas/outputs/bad.schema.json');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^schemas\/outputs\/bad\.schema\.json:[34]:\d+: error yaml-syntax /);
  });

  it('a wrong keyword value points at the keyword', () => {
    expect(diagnose('type: object\nproperties:\n  priority:\n    type: strin\n')).toEqual([
      'schemas/outputs/bad.schema.yaml:4:5: error output-schema-invalid not a valid JSON Schema at /properties/priority/type: must be equal to one of the allowed values',
    ]);
  });

  it('a misspelt keyword is an error at its line, not silently ignored', () => {
    expect(diagnose('type: object\nproperties:\n  a: { type: string }\nrequried: [a]\n')).toEqual([
      'schemas/outputs/bad.schema.yaml:4:1: error output-schema-invalid cannot compile the schema: unknown keyword: "requried"',
    ]);
  });

  it('an unknown format is an error at its line', () => {
    expect(diagnose('type: object\nproperties:\n  phone:\n    type: string\n    format: phone\n')).toEqual([
      'schemas/outputs/bad.schema.yaml:5:5: error output-schema-invalid cannot compile the schema: unknown format "phone" (known: date, time, date-time, duration, email, hostname, ipv4, ipv6, uri, uri-reference, uuid, regex, …)',
    ]);
  });

  it('an unresolvable $ref is an error at its line', () => {
    expect(diagnose('type: object\nproperties:\n  a:\n    $ref: "https://example.com/missing.json"\n')).toEqual([
      "schemas/outputs/bad.schema.yaml:4:5: error output-schema-invalid cannot compile the schema: can't resolve the reference https://example.com/missing.json (no output schema has that $id)",
    ]);
  });

  it('a schema that is not a mapping', () => {
    expect(diagnose('- type: object\n')).toEqual([
      'schemas/outputs/bad.schema.yaml:1:1: error output-schema-invalid an output schema must be a mapping (a JSON Schema object)',
    ]);
  });

  it('an unsupported $schema', () => {
    expect(diagnose('$schema: "http://json-schema.org/draft-04/schema#"\ntype: object\n')).toEqual([
      'schemas/outputs/bad.schema.yaml:1:1: error output-schema-invalid unsupported `$schema`; use draft-07 (`http://json-schema.org/draft-07/schema#`), 2019-09 or 2020-12 (`https://json-schema.org/draft/2020-12/schema`)',
    ]);
  });

  it('two files with the same name', () => {
    const { registry, diagnostics } = compileOutputSchemas([
      { path: 'schemas/outputs/ticket.schema.yaml', text: TICKET_YAML },
      { path: 'schemas/outputs/ticket.schema.json', text: '{"type": "object"}' },
    ]);
    expect(registry.get('ticket')?.path).toBe('schemas/outputs/ticket.schema.yaml');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'schemas/outputs/ticket.schema.json:1:1: error output-schema-duplicate the output schema name `ticket` is already used by schemas/outputs/ticket.schema.yaml',
    ]);
  });

  it('an alias bomb is refused by the hardened YAML parser', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      return `${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`;
    })].join('\n');
    const lines = diagnose(bomb);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/error yaml-alias-bomb /);
  });
});
