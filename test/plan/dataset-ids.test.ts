import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptDatasetId, decryptDatasetIds } from '../../src/plan/dataset-ids.js';
import { workflowDsl } from '../support/plan-builders.js';

/** Dify's export encryption (contract §3 item 3), written out here independently of the code under test. */
function encrypt(id: string, tenant: string): string {
  const key = createHash('sha256').update(tenant).digest();
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  return Buffer.concat([cipher.update(id, 'utf8'), cipher.final()]).toString('base64');
}

const TENANT = '2f9d4c1e-0000-4000-8000-000000000001';
const DATASET = '6b1e9a7c-1234-4abc-9def-0123456789ab';

describe('dataset id decryption', () => {
  it('decrypts an exported id with the workspace id and leaves plain UUIDs alone', () => {
    expect(decryptDatasetId(encrypt(DATASET, TENANT), TENANT)).toBe(DATASET);
    expect(decryptDatasetId(DATASET, TENANT)).toBe(DATASET);
  });

  it('leaves an id encrypted for another workspace (or garbage) as it is, so the plan shows a difference', () => {
    const foreign = encrypt(DATASET, 'another-tenant');
    expect(decryptDatasetId(foreign, TENANT)).toBe(foreign);
    expect(decryptDatasetId('not base64 at all', TENANT)).toBe('not base64 at all');
  });

  it('rewrites knowledge-retrieval nodes without touching the input document', () => {
    const dsl = workflowDsl({ datasetIds: [encrypt(DATASET, TENANT)] });
    const out = decryptDatasetIds(dsl, TENANT);
    expect(out.workflow?.graph?.nodes?.find((n) => n.id === 'kb')?.data.dataset_ids).toEqual([DATASET]);
    expect(dsl.workflow?.graph?.nodes?.find((n) => n.id === 'kb')?.data.dataset_ids).not.toEqual([DATASET]);
  });
});
