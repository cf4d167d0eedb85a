// Turns what an LLM answered into one JSON value, the way instructor and promptfoo do before
// validating: strip the byte-order mark and code fences, find the value inside surrounding prose,
// repair it with jsonrepair, parse. Every step taken is recorded in words, so a reviewer can see
// that "valid" meant "valid after removing a trailing comma". Pure.
//
// Choosing among several values is deterministic. Blocks are numbered in document order and tried
// in three tiers — complete values inside code fences, complete values elsewhere, then values cut
// off by the end of the text (truncated) — each tier in document order. The first that parses, as
// is or after repair, wins; the steps say which block was used and why earlier ones were skipped.

import { jsonrepair } from 'jsonrepair';
import { describeRepairs } from './describe-repairs.js';
import { findFencedBlocks, textOutsideFences } from './fences.js';
import { findJsonSpans, type JsonSpan } from './locate-json.js';

export type ExtractedJson =
  | { ok: true; value: unknown; steps: string[] }
  | { ok: false; error: string; steps: string[] };

interface Candidate {
  /** Text of the candidate value. */
  text: string;
  /** Offset in the output: numbers blocks in document order. */
  position: number;
  /** Steps saying where it came from (fence, prose). */
  origin: string[];
  fenced: boolean;
  /** False for a value cut off by the end of its text. */
  complete: boolean;
}

export function extractJson(text: string): ExtractedJson {
  const steps: string[] = [];
  let body = text;
  if (body.startsWith('\uFEFF')) {
    body = body.slice(1);
    steps.push('removed byte-order mark');
  }
  if (body.trim() === '') return { ok: false, error: 'the output is empty', steps };

  const whole = parseStrict(body.trim());
  if (whole.ok) return finish(whole.value, steps);

  const blocks = collectCandidates(body).sort((a, b) => a.position - b.position);
  if (blocks.length === 0) return { ok: false, error: 'no JSON object or array found in the output', steps };

  const tier = (c: Candidate): number => (!c.complete ? 2 : c.fenced ? 0 : 1);
  const tryOrder = blocks.map((c, index) => ({ c, number: index + 1 })).sort((a, b) => tier(a.c) - tier(b.c) || a.number - b.number);
  const failures = new Map<number, string>();
  for (const { c: chosen, number } of tryOrder) {
    const parsed = parseRepairing(chosen.text);
    if (!parsed.ok) {
      failures.set(number, parsed.error);
      continue;
    }
    if (blocks.length > 1) {
      steps.push(`found ${blocks.length} JSON blocks; used block ${number}`);
      blocks.forEach((other, index) => {
        const n = index + 1;
        const failed = failures.has(n);
        if (n === number || (n > number && !failed)) return;
        const why = failed ? 'does not parse even after repair' : !other.complete ? 'is truncated' : 'is outside the code fence';
        steps.push(`skipped block ${n}: it ${why}`);
      });
    }
    steps.push(...chosen.origin, ...parsed.repairs);
    return finish(parsed.value, steps);
  }
  const what = blocks.length === 1 ? 'the JSON found does' : `none of the ${blocks.length} JSON blocks found does`;
  return { ok: false, error: `${what} not parse even after repair: ${failures.get(tryOrder[0]!.number) ?? 'unknown error'}`, steps };
}

/** Every candidate value: inside each fenced block, and in the text outside the fences. */
function collectCandidates(body: string): Candidate[] {
  const candidates: Candidate[] = [];
  const blocks = findFencedBlocks(body);
  for (const block of blocks) {
    const fence = `${block.marker}${block.language}`;
    const removed = block.closed ? `removed ${fence} code fence` : `removed unclosed ${fence} code fence`;
    const spans = findJsonSpans(block.content);
    const content = block.content.trim();
    if (spans.length === 0 && content !== '' && parseStrict(content).ok) {
      // A fence holding a bare scalar or string: ```json\n"ok"\n```
      candidates.push({ text: content, position: block.contentStart, origin: [removed], fenced: true, complete: true });
      continue;
    }
    for (const span of spans) {
      candidates.push({
        text: block.content.slice(span.start, span.end),
        position: block.contentStart + span.start,
        origin: [removed, ...proseAround(block.content, span)],
        fenced: true,
        complete: span.complete,
      });
    }
  }
  const outside = textOutsideFences(body, blocks);
  const unfenced = outside.markersRemoved ? ['removed code fence markers'] : [];
  for (const span of findJsonSpans(outside.text)) {
    candidates.push({
      text: outside.text.slice(span.start, span.end),
      position: span.start,
      origin: [...unfenced, ...proseAround(outside.text, span)],
      fenced: false,
      complete: span.complete,
    });
  }
  return candidates;
}

function proseAround(text: string, span: JsonSpan): string[] {
  const notes: string[] = [];
  if (text.slice(0, span.start).trim() !== '') notes.push('ignored text before the JSON');
  if (span.complete && text.slice(span.end).trim() !== '') notes.push('ignored text after the JSON');
  return notes;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseStrict(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function parseRepairing(text: string): (Parsed & { ok: false }) | { ok: true; value: unknown; repairs: string[] } {
  const strict = parseStrict(text);
  if (strict.ok) return { ok: true, value: strict.value, repairs: [] };
  let repaired: string;
  try {
    repaired = jsonrepair(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const parsed = parseStrict(repaired);
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value, repairs: describeRepairs(text) };
}

/** A JSON document that is itself a string holding JSON (`"{\"a\":1}"`) is decoded once. */
function finish(value: unknown, steps: string[]): ExtractedJson {
  if (typeof value === 'string') {
    const inner = value.trim();
    if (inner.startsWith('{') || inner.startsWith('[')) {
      const parsed = parseStrict(inner);
      if (parsed.ok) return { ok: true, value: parsed.value, steps: [...steps, 'decoded JSON that was encoded as a string'] };
    }
  }
  return { ok: true, value, steps };
}
