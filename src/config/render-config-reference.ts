// docs/configuration.md, rendered from the JSON Schemas so the reference cannot drift from what
// the loader enforces (test/config/config-reference.test.ts compares the committed file with this
// output; `npx vitest run test/config/config-reference.test.ts -u` rewrites it). Pure.

import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema, ToolSchemas } from './tool-schemas.js';

interface Section {
  id: string;
  title: string;
  schema: JsonSchema;
  /** A file's top level: its inline objects are titled by field name alone. */
  root: boolean;
}

function childTitle(parent: Section, field: string): string {
  return parent.root ? field : `${parent.title}.${field}`;
}

export function renderConfigReference(schemas: ToolSchemas): string {
  const configDefs = definitionsOf(schemas.config);
  const appDefs = definitionsOf(schemas.app);
  const shared = Object.keys(configDefs).filter((k) => k in appDefs && isDeepStrictEqual(configDefs[k], appDefs[k]) && isObjectType(configDefs[k]!));
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from schemas/config.v1.json and schemas/app.v1.json by src/config/render-config-reference.ts.',
    '     Do not edit by hand: run `npx vitest run test/config/config-reference.test.ts -u` after changing a schema. -->',
    '',
    'Every file a user writes is checked against a JSON Schema when it is loaded (`dify-gitops validate` shows all problems at once).',
    'Editors can use the same schemas: put `# yaml-language-server: $schema=<relative path to schemas/…json>` on the first line.',
    'The layout, and why it is that way, is explained in [repository-format.md](repository-format.md).',
    '',
    '| File | Schema `$id` |',
    '| --- | --- |',
    `| \`dify-gitops.yaml\` | \`${String(schemas.config.$id)}\` |`,
    `| \`workflows/<app>/app.yaml\` | \`${String(schemas.app.$id)}\` |`,
    '',
  ];
  for (const [title, schema, defs] of [
    ['dify-gitops.yaml', schemas.config, configDefs],
    ['App manifest (app.yaml)', schemas.app, appDefs],
  ] as const) {
    out.push(`## ${title}`, '');
    for (const section of collectSections(title, schema, defs, shared)) out.push(...renderSection(section, defs, shared));
  }
  out.push('## Shared types', '', 'Used by both files.', '');
  for (const name of shared) {
    for (const section of collectSections(name, configDefs[name]!, configDefs, shared, true)) out.push(...renderSection(section, configDefs, shared));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function definitionsOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.definitions ?? {}) as Record<string, JsonSchema>;
}

function isObjectType(schema: JsonSchema): boolean {
  return schema.type === 'object' && typeof schema.properties === 'object';
}

/** The root (or a shared type) and every object type reachable from it, each once, in reading order. */
function collectSections(title: string, root: JsonSchema, defs: Record<string, JsonSchema>, shared: readonly string[], isShared = false): Section[] {
  const sections: Section[] = [];
  const seen = new Set<string>();
  const visit = (section: Section): void => {
    if (seen.has(section.id)) return;
    seen.add(section.id);
    sections.push(section);
    for (const [field, sub] of Object.entries(propertiesOf(section.schema))) {
      // A reference to a non-object definition (a map such as secretBindings) is looked through.
      const ref = refName(sub);
      const seenThrough = ref !== undefined && !isObjectType(defs[ref]!) ? { ...defs[ref], ...sub, $ref: undefined } : sub;
      for (const target of [seenThrough, seenThrough.additionalProperties, seenThrough.items]) {
        if (target === null || typeof target !== 'object') continue;
        const t = target as JsonSchema;
        const ref = refName(t);
        if (ref !== undefined && isObjectType(defs[ref]!) && !shared.includes(ref)) visit({ id: ref, title: ref, schema: defs[ref]!, root: false });
        else if (ref === undefined && isObjectType(t)) visit({ id: `${section.id}.${field}`, title: childTitle(section, field), schema: t, root: false });
      }
    }
  };
  visit(isShared ? { id: title, title, schema: root, root: false } : { id: 'root', title: `${title} (top level)`, schema: root, root: true });
  return sections;
}

function renderSection(section: Section, defs: Record<string, JsonSchema>, shared: readonly string[]): string[] {
  const required = new Set((section.schema.required ?? []) as string[]);
  const lines = [`### ${section.title}`, ''];
  if (typeof section.schema.description === 'string') lines.push(section.schema.description, '');
  lines.push('| Field | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |');
  for (const [field, sub] of Object.entries(propertiesOf(section.schema))) {
    const ref = refName(sub);
    const target = ref === undefined ? sub : { ...defs[ref], ...sub };
    const description = typeof sub.description === 'string' ? sub.description : typeof target.description === 'string' ? target.description : '';
    const fallback = target.default === undefined ? '' : `\`${JSON.stringify(target.default)}\``;
    lines.push(`| \`${field}\` | ${typeText(sub, defs, shared, childTitle(section, field))} | ${required.has(field) ? 'yes' : ''} | ${fallback} | ${cell(description)} |`);
  }
  lines.push('');
  return lines;
}

/** A type as words with links to the sections of object types. */
function typeText(schema: JsonSchema, defs: Record<string, JsonSchema>, shared: readonly string[], inlineTitle: string): string {
  const ref = refName(schema);
  if (ref !== undefined) {
    const target = defs[ref]!;
    return isObjectType(target) ? link(ref) : typeText(target, defs, shared, inlineTitle);
  }
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  const types = ([] as string[]).concat((schema.type ?? 'any') as string | string[]);
  if (types.length > 1 && typeof schema.title === 'string') return schema.title;
  const words = types.map((t) => {
    if (t === 'object' && isObjectType(schema)) return link(inlineTitle);
    if (t === 'object' && typeof schema.additionalProperties === 'object') {
      const keys = schema.propertyNames === undefined ? 'key' : 'name';
      return `map of ${keys} → ${typeText(schema.additionalProperties as JsonSchema, defs, shared, `${inlineTitle}.*`)}`;
    }
    if (t === 'object') return 'mapping';
    if (t === 'array' && typeof schema.items === 'object') return `list of ${typeText(schema.items as JsonSchema, defs, shared, inlineTitle)}`;
    if (t === 'string' && typeof schema.title === 'string') return `string: ${schema.title}`;
    if (t === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
    return t;
  });
  return words.join(' or ');
}

function link(title: string): string {
  return `[${title}](#${slug(title)})`;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
export function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

function refName(schema: JsonSchema): string | undefined {
  return typeof schema.$ref === 'string' ? schema.$ref.replace('#/definitions/', '') : undefined;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
