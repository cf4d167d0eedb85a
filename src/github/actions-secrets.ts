// Writes a GitHub Actions secret (repository or environment), used when dify-gitops rotates a
// Dify API key and must hand the new key to workflows. GitHub only accepts values sealed with the
// repository's (or environment's) public key: a libsodium sealed box, base64 (original variant).
// The value is registered with the Redactor before anything else and never appears in a message.

import sodium from 'libsodium-wrappers';
import { UsageError } from '../errors.js';
import type { Redactor } from '../secrets/redactor.js';
import type { GitHub } from './client.js';

/** GitHub's limit on one secret's size. */
const MAX_SECRET_BYTES = 48 * 1024;

export interface PutActionsSecretOptions {
  gh: GitHub;
  owner: string;
  repo: string;
  /** An environment secret when set; a repository secret otherwise. */
  environment?: string | undefined;
  name: string;
  value: string;
  redactor: Redactor;
}

export async function putActionsSecret(options: PutActionsSecretOptions): Promise<'created' | 'updated'> {
  const { gh, owner, repo, environment, name, value } = options;
  options.redactor.add(value);
  validateSecretName(name);
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) {
    throw new UsageError(`secret ${name} is larger than GitHub's ${MAX_SECRET_BYTES / 1024} KB limit`);
  }
  const key =
    environment === undefined
      ? (await gh.rest.actions.getRepoPublicKey({ owner, repo })).data
      : (await gh.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: environment })).data;
  const encrypted = await sealSecret(value, key.key);
  const response =
    environment === undefined
      ? await gh.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: name, encrypted_value: encrypted, key_id: key.key_id })
      : await gh.rest.actions.createOrUpdateEnvironmentSecret({
          owner,
          repo,
          environment_name: environment,
          secret_name: name,
          encrypted_value: encrypted,
          key_id: key.key_id,
        });
  return (response.status as number) === 201 ? 'created' : 'updated';
}

/** libsodium sealed box of `value` for a base64 (original variant) Curve25519 public key. */
export async function sealSecret(value: string, publicKeyBase64: string): Promise<string> {
  await sodium.ready;
  const publicKey = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), publicKey);
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

/** GitHub's rules: letters, digits and underscores, not starting with a digit or GITHUB_. */
export function validateSecretName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name)) {
    throw new UsageError(
      `GitHub secret name "${name}" is invalid: use letters, digits and underscores, not starting with a digit or GITHUB_`,
    );
  }
}
