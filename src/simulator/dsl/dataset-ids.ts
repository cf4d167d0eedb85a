// Knowledge-retrieval `dataset_ids` in exports (contract §3 item 3): AES-CBC with
// key = SHA-256(tenant id), IV = the first 16 bytes of the key, PKCS#7 padding, Base64. On import
// a plain UUID passes through; anything else is decrypted with the importing workspace's key and
// silently dropped when that fails or does not yield a UUID.

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

const UUID_FORMS = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^[0-9a-f]{32}$/i,
  /^\{[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}$/i,
  /^urn:uuid:[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
];

/** Python `uuid.UUID(value)` accepts these spellings. */
export function isPythonUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_FORMS.some((re) => re.test(value));
}

function keyOf(tenantId: string): Buffer {
  return createHash('sha256').update(tenantId, 'utf8').digest();
}

export function encryptDatasetId(datasetId: string, tenantId: string): string {
  const key = keyOf(tenantId);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  return Buffer.concat([cipher.update(datasetId, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptDatasetId(value: unknown, tenantId: string): string | undefined {
  if (isPythonUuid(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const key = keyOf(tenantId);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    const text = Buffer.concat([decipher.update(Buffer.from(value, 'base64')), decipher.final()]).toString('utf8');
    return isPythonUuid(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
