// A structural checker for the Mermaid flowcharts dify-gitops writes into PR comments. No Mermaid
// parser is installed (mermaid needs a DOM and is not a dependency), so this checks the subset we
// emit, strictly: a `flowchart` header; every node declared once as `id["label"]`; every edge
// between declared ids; classDef lines of `prop:value` pairs; class lines naming declared ids and
// defined classes; labels without raw quotes, brackets, pipes, backticks, `<`, `>` or a `#` that
// does not start an entity code. Anything else is a problem.

export interface MermaidCheck {
  ok: boolean;
  problems: string[];
  nodes: Map<string, string>;
  edges: { from: string; arrow: string; to: string; label: string | undefined }[];
  /** Class name → node ids. */
  classes: Map<string, string[]>;
  classDefs: Map<string, string>;
}

const ID = '[A-Za-z][A-Za-z0-9_]*';
const LABEL = '"([^"]*)"';
const RESERVED = new Set(['end', 'subgraph', 'graph', 'flowchart', 'class', 'classDef', 'style', 'linkStyle', 'click', 'direction']);
const NODE = new RegExp(`^(${ID})\\[${LABEL}\\]$`);
const EDGE = new RegExp(`^(${ID}) (-->|==>|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`);
const CLASS_DEF = new RegExp(`^classDef (${ID}) (.+)$`);
const STYLE_PAIR = /^[a-z-]+: ?[#A-Za-z0-9. ]+$/;
const CLASS = new RegExp(`^class (${ID}(?:,${ID})*) (${ID})$`);

export function checkMermaid(source: string): MermaidCheck {
  const problems: string[] = [];
  const nodes = new Map<string, string>();
  const edges: MermaidCheck['edges'] = [];
  const classes = new Map<string, string[]>();
  const classDefs = new Map<string, string>();
  const lines = source.split('\n');
  if (!/^flowchart (LR|RL|TB|TD|BT)$/.test(lines[0] ?? '')) problems.push(`line 1: expected a flowchart header, got ${JSON.stringify(lines[0])}`);
  const pendingClasses: { line: number; ids: string[]; name: string }[] = [];
  for (const [index, raw] of lines.entries()) {
    if (index === 0) continue;
    const at = `line ${index + 1}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('%%')) continue;
    let match: RegExpExecArray | null;
    if ((match = NODE.exec(line)) !== null) {
      const [, id, label] = match as unknown as [string, string, string];
      if (RESERVED.has(id)) problems.push(`${at}: node id ${id} is a Mermaid keyword`);
      if (nodes.has(id)) problems.push(`${at}: node ${id} declared twice`);
      checkLabel(label, at, problems);
      nodes.set(id, label);
    } else if ((match = EDGE.exec(line)) !== null) {
      const [, from, arrow, label, to] = match as unknown as [string, string, string, string | undefined, string];
      for (const id of [from, to]) if (!nodes.has(id)) problems.push(`${at}: edge uses undeclared node ${id}`);
      if (label !== undefined) checkLabel(label, at, problems);
      edges.push({ from, arrow, to, label });
    } else if ((match = CLASS_DEF.exec(line)) !== null) {
      const [, name, style] = match as unknown as [string, string, string];
      if (style.trimEnd().endsWith(';')) problems.push(`${at}: classDef ends with ';' (Mermaid reads "#abc;" as an entity)`);
      for (const pair of style.split(',')) if (!STYLE_PAIR.test(pair)) problems.push(`${at}: classDef ${name} has a malformed style ${JSON.stringify(pair)}`);
      if (classDefs.has(name)) problems.push(`${at}: classDef ${name} defined twice`);
      classDefs.set(name, style);
    } else if ((match = CLASS.exec(line)) !== null) {
      const [, ids, name] = match as unknown as [string, string, string];
      pendingClasses.push({ line: index + 1, ids: ids.split(','), name });
    } else {
      problems.push(`${at}: not a statement this checker knows: ${JSON.stringify(line.slice(0, 120))}`);
    }
  }
  for (const { line, ids, name } of pendingClasses) {
    if (!classDefs.has(name)) problems.push(`line ${line}: class ${name} has no classDef`);
    for (const id of ids) if (!nodes.has(id)) problems.push(`line ${line}: class names undeclared node ${id}`);
    classes.set(name, [...(classes.get(name) ?? []), ...ids]);
  }
  const classed = [...classes.values()].flat();
  const duplicate = classed.find((id, i) => classed.indexOf(id) !== i);
  if (duplicate !== undefined) problems.push(`node ${duplicate} is in two classes`);
  return { ok: problems.length === 0, problems, nodes, edges, classes, classDefs };
}

function checkLabel(label: string, at: string, problems: string[]): void {
  const bad = /[[\](){}<>|`"\n\r]/.exec(label);
  if (bad !== null) problems.push(`${at}: label ${JSON.stringify(label)} has a raw ${JSON.stringify(bad[0])}`);
  const withoutEntities = label.replace(/#(?:[a-z]+|\d+);/g, '');
  if (withoutEntities.includes('#')) problems.push(`${at}: label ${JSON.stringify(label)} has a # that is not an entity code`);
}

/** The bodies of every ```mermaid block in a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const pattern = /^```mermaid\n([\s\S]*?)\n```$/gm;
  for (const match of markdown.matchAll(pattern)) blocks.push(match[1]!);
  return blocks;
}
