// Benchmark dispatcher: `npm run bench -- <name> [args…]` runs `node dist/bench/run.js <name>`,
// which imports the compiled `./<name>.js` beside this file and calls its `main(args)`. Any
// bench/<name>.ts that exports `main` is picked up; nothing here lists them by hand.

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  main?: (args: string[]) => unknown;
}

const here = dirname(fileURLToPath(import.meta.url));

function available(): string[] {
  return readdirSync(here)
    .filter((file) => file.endsWith('.js') && file !== 'run.js')
    .map((file) => file.slice(0, -'.js'.length))
    .sort();
}

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(name) || !available().includes(name)) {
    process.stderr.write(`usage: npm run bench -- <name>\navailable: ${available().join(', ') || '(none; run npm run build)'}\n`);
    return 1;
  }
  const mod = (await import(pathToFileURL(join(here, `${name}.js`)).href)) as BenchModule;
  if (typeof mod.main !== 'function') {
    process.stderr.write(`bench/${name}.ts does not export main()\n`);
    return 1;
  }
  await mod.main(args);
  return 0;
}

process.exitCode = await run(process.argv.slice(2));
