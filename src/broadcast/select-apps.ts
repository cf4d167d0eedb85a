// Which repository apps a broadcast goes to in one environment: named apps, every app, or the
// apps whose manifest tags include a tag. Unknown names and empty selections are usage errors
// (nothing has been sent yet, so the command exits 1). Pure; apps come back in name order.

import type { DesiredApp, LoadedRepository } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { BroadcastSelection } from './types.js';

export function selectBroadcastApps(repo: LoadedRepository, environment: string, selection: BroadcastSelection): DesiredApp[] {
  if (!repo.environments.some((e) => e.name === environment)) {
    throw new UsageError(`unknown environment \`${environment}\`; the config declares ${list(repo.environments.map((e) => e.name))}`);
  }
  const here = repo.desired.filter((d) => d.environment === environment);
  switch (selection.kind) {
    case 'all':
      if (here.length === 0) throw new UsageError(`no app of the repository deploys to environment \`${environment}\``);
      return here;
    case 'tag': {
      const tagged = here.filter((d) => d.source.tags.includes(selection.tag));
      if (tagged.length === 0) {
        const tags = [...new Set(here.flatMap((d) => d.source.tags))].sort();
        throw new UsageError(`no app in environment \`${environment}\` has the tag \`${selection.tag}\`; tags in use: ${list(tags)}`);
      }
      return tagged;
    }
    case 'apps': {
      if (selection.apps.length === 0) throw new UsageError('name at least one app');
      for (const name of selection.apps) {
        const source = repo.apps.find((a) => a.name === name);
        if (source === undefined) throw new UsageError(`unknown app \`${name}\`; the repository has ${list(repo.apps.map((a) => a.name))}`);
        if (!here.some((d) => d.name === name)) {
          throw new UsageError(`app \`${name}\` does not deploy to environment \`${environment}\` (${source.manifestFile} lists ${list(source.environments)})`);
        }
      }
      return here.filter((d) => selection.apps.includes(d.name));
    }
  }
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}
