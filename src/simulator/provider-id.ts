// Model-provider ids as Dify ≥1.0 normalises them: a bare `openai` becomes
// `langgenius/openai/openai`; `org/plugin/provider` is kept; anything else is invalid.

export function normalizeProviderId(raw: string): string | null {
  const trimmed = raw.trim();
  if (/^[a-z0-9_-]+$/i.test(trimmed)) return `langgenius/${trimmed}/${trimmed}`;
  if (/^[a-z0-9_-]+\/[a-z0-9_-]+\/[a-z0-9_-]+$/i.test(trimmed)) return trimmed;
  return null;
}
