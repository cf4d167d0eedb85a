// Dify's LLMUsage dict for the stub model: fixed prices so blocking responses carry realistic
// decimal strings (contract §8.3). price = tokens × unit_price × price_unit, quantised to 7
// decimals: prompt 0.001 per 1000 tokens, completion 0.002 per 1000 tokens, USD.

import type { TokenUsage } from './types.js';

const PROMPT_UNITS = 10n; // 0.001 × 0.001 = 1e-6 = 10 × 1e-7
const COMPLETION_UNITS = 20n; // 0.002 × 0.001 = 2e-6 = 20 × 1e-7

export interface UsageMetadata {
  prompt_tokens: number;
  prompt_unit_price: string;
  prompt_price_unit: string;
  prompt_price: string;
  completion_tokens: number;
  completion_unit_price: string;
  completion_price_unit: string;
  completion_price: string;
  total_tokens: number;
  total_price: string;
  currency: 'USD';
  latency: number;
  time_to_first_token: null;
  time_to_generate: null;
}

function price(units: bigint): string {
  const text = units.toString().padStart(8, '0');
  return `${text.slice(0, -7)}.${text.slice(-7)}`;
}

export function totalPrice(usage: TokenUsage): string {
  return price(BigInt(usage.promptTokens) * PROMPT_UNITS + BigInt(usage.completionTokens) * COMPLETION_UNITS);
}

export function usageMetadata(usage: TokenUsage, latencySeconds: number): UsageMetadata {
  const promptUnits = BigInt(usage.promptTokens) * PROMPT_UNITS;
  const completionUnits = BigInt(usage.completionTokens) * COMPLETION_UNITS;
  return {
    prompt_tokens: usage.promptTokens,
    prompt_unit_price: '0.001',
    prompt_price_unit: '0.001',
    prompt_price: price(promptUnits),
    completion_tokens: usage.completionTokens,
    completion_unit_price: '0.002',
    completion_price_unit: '0.001',
    completion_price: price(completionUnits),
    total_tokens: usage.totalTokens,
    total_price: price(promptUnits + completionUnits),
    currency: 'USD',
    latency: Math.round(latencySeconds * 1000) / 1000,
    time_to_first_token: null,
    time_to_generate: null,
  };
}
