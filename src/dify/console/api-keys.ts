// App API keys, the Bearer tokens of the service API (contract §7). Dify returns full tokens in
// the list, so every token read is registered with the redactor at once. Creating a key is
// never retried (a repeat would mint a second key; Dify allows 10 per app).

import { arrayOf, defineShape, obj, str } from '../shapes.js';
import type { ApiKey } from '../types.js';
import { appPath, deleteOnce, type ConsoleContext } from './context.js';

const KEY = obj({ id: str, token: str });
const KEY_LIST = defineShape<{ data: ApiKey[] }>('API key list', obj({ data: arrayOf(KEY) }));
const CREATED = defineShape<ApiKey>('API key', KEY);

export interface ApiKeysApi {
  list(appId: string): Promise<ApiKey[]>;
  /** Mints a key; the 11th gives DifyApiError code `max_keys_exceeded`. */
  create(appId: string): Promise<ApiKey>;
  /** Needs an admin or owner account; the key stops working at once. */
  delete(appId: string, keyId: string): Promise<void>;
}

export function createApiKeysApi(ctx: ConsoleContext): ApiKeysApi {
  const remember = (key: ApiKey): ApiKey => {
    ctx.redactor.add(key.token);
    return key;
  };
  return {
    async list(appId) {
      return (await ctx.json({ method: 'GET', path: appPath(appId, '/api-keys') }, KEY_LIST)).data.map(remember);
    },
    async create(appId) {
      return remember(await ctx.json({ method: 'POST', path: appPath(appId, '/api-keys') }, CREATED));
    },
    delete: (appId, keyId) => deleteOnce(ctx, { method: 'DELETE', path: appPath(appId, `/api-keys/${encodeURIComponent(keyId)}`) }),
  };
}
