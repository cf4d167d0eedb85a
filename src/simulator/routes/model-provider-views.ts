// The ProviderResponse list of GET /workspaces/current/model-providers: a small catalogue of
// installed providers (OpenAI, Anthropic) plus any provider the workspace configured, with the
// custom_configuration block per era (≥1.8 lists the named credentials).

import { findProvider } from '../providers.js';
import type { SimProvider } from '../state.js';
import type { SimWorld } from '../world.js';

interface CatalogEntry {
  label: string;
  secretField: string;
  modelTypes: string[];
}

const CATALOG: Record<string, CatalogEntry> = {
  'langgenius/openai/openai': { label: 'OpenAI', secretField: 'openai_api_key', modelTypes: ['llm', 'text-embedding', 'speech2text', 'moderation', 'tts'] },
  'langgenius/anthropic/anthropic': { label: 'Anthropic', secretField: 'anthropic_api_key', modelTypes: ['llm'] },
};

function entryFor(id: string): CatalogEntry {
  return CATALOG[id] ?? { label: id.split('/').at(-1) ?? id, secretField: 'api_key', modelTypes: ['llm'] };
}

function customConfiguration(world: SimWorld, provider: SimProvider | undefined): Record<string, unknown> {
  const active = provider?.credentials.find((c) => c.credential_id === provider.current_credential_id);
  const status = active ? 'active' : 'no-configure';
  if (!world.profile.multiCredentialProviders) return { status };
  return {
    status,
    current_credential_id: active?.credential_id ?? null,
    current_credential_name: active?.credential_name ?? null,
    available_credentials: (provider?.credentials ?? []).map((c) => ({ credential_id: c.credential_id, credential_name: c.credential_name })),
    custom_models: [],
    can_added_models: [],
  };
}

export function providerView(world: SimWorld, modelType: string | null): Record<string, unknown>[] {
  const ids = [...new Set([...Object.keys(CATALOG), ...world.state.providers.map((p) => p.provider)])].sort();
  return ids
    .map((id) => ({ id, entry: entryFor(id) }))
    .filter(({ entry }) => !modelType || entry.modelTypes.includes(modelType))
    .map(({ id, entry }) => {
      const provider = findProvider(world.state, id);
      return {
        tenant_id: world.state.workspace.id,
        provider: id,
        label: { en_US: entry.label, zh_Hans: entry.label },
        description: null,
        icon_small: { en_US: `/console/api/workspaces/${world.state.workspace.id}/model-providers/${id}/icon_small/en_US` },
        icon_large: null,
        background: null,
        help: null,
        supported_model_types: entry.modelTypes,
        configurate_methods: ['predefined-model', 'customizable-model'],
        provider_credential_schema: {
          credential_form_schemas: [
            { variable: entry.secretField, label: { en_US: 'API Key' }, type: 'secret-input', required: true, default: null, options: [], placeholder: null },
          ],
        },
        model_credential_schema: null,
        preferred_provider_type: provider?.current_credential_id ? 'custom' : 'system',
        custom_configuration: customConfiguration(world, provider),
        system_configuration: { enabled: false, current_quota_type: null, quota_configurations: [] },
      };
    });
}
