// The shared DSL corpus (../shared/corpus/dsl beside the repo): file lists and contents for the
// DSL tests and the diff benchmark. Files are read in place, never copied into the repo.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const corpusDir = path.resolve(repoRoot, '../shared/corpus/dsl');
export const brokenDir = path.join(corpusDir, 'broken');

export interface CorpusFile {
  name: string;
  path: string;
  text: string;
}

function listYaml(dir: string): CorpusFile[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ name, path: path.join(dir, name), text: readFileSync(path.join(dir, name), 'utf8') }));
}

export function corpusFiles(): CorpusFile[] {
  return listYaml(corpusDir);
}

export function brokenFiles(): CorpusFile[] {
  return listYaml(brokenDir);
}

/** manifest.tsv rows as records keyed by column name. */
export function corpusManifest(): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path.join(corpusDir, 'manifest.tsv'), 'utf8').trim().split('\n');
  const columns = (header ?? '').split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((cell, i) => [columns[i] ?? String(i), cell])));
}
