// Dify ≥ 1.2 encrypts knowledge-retrieval `dataset_ids` on export, per workspace (contract §3
// item 3): Base64 of AES-256-CBC with key = SHA-256(tenant id) and IV = the key's first 16 bytes.
// Plan decrypts them with the workspace id so live ids compare with the ids git maps to; an id
// that is already a UUID, or that does not decrypt, is left as it is. Pure.

import { createDecipheriv, createHash } from 'node:crypto';
import type { DslDocument } from '../dsl/index.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function decryptDatasetId(value: string, tenantId: string): string {
  if (UUID.test(value)) return value;
  try {
    const key = createHash('sha256').update(tenantId, 'utf8').digest();
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    const text = Buffer.concat([decipher.update(Buffer.from(value, 'base64')), decipher.final()]).toString('utf8');
    return UUID.test(text) ? text : value;
  } catch {
    return value;
  }
}

/** True when the document references knowledge bases (so the workspace id is worth fetching). */
export function hasDatasetReferences(dsl: DslDocument): boolean {
  return (dsl.workflow?.graph?.nodes ?? []).some((node) => node.data.type === 'knowledge-retrieval' && Array.isArray(node.data.dataset_ids) && node.data.dataset_ids.length > 0);
}

export function decryptDatasetIds(dsl: DslDocument, tenantId: string): DslDocument {
  if (!hasDatasetReferences(dsl)) return dsl;
  const copy = structuredClone(dsl);
  for (const node of copy.workflow?.graph?.nodes ?? []) {
    if (node.data.type !== 'knowledge-retrieval' || !Array.isArray(node.data.dataset_ids)) continue;
    node.data.dataset_ids = (node.data.dataset_ids as unknown[]).map((id) => (typeof id === 'string' ? decryptDatasetId(id, tenantId) : id));
  }
  return copy;
}
