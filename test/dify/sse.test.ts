// The SSE parser must give the same messages however the bytes are chunked.
import { describe, expect, it } from 'vitest';
import { createSseParser, parseSse, type SseMessage } from '../../src/dify/sse.js';

const encoder = new TextEncoder();

/** A Dify-like stream: CRLF and LF mixed, a ping, a comment, multi-line data, multibyte text. */
const SAMPLE =
  ': keep-alive comment\r\n' +
  'data: {"event":"workflow_started","task_id":"t1"}\r\n\r\n' +
  'event: ping\n\n' +
  'data: {"event":"text_chunk","data":{"text":"héllo 👋 世界"}}\n\n' +
  'data: line one\r\ndata: line two\r\n\r\n' +
  'event: custom\rdata:no-space\r\r' +
  'id: 42\ndata: {"event":"workflow_finished"}\n\n';

const EXPECTED: SseMessage[] = [
  { event: 'message', data: '{"event":"workflow_started","task_id":"t1"}' },
  { event: 'ping', data: '' },
  { event: 'message', data: '{"event":"text_chunk","data":{"text":"héllo 👋 世界"}}' },
  { event: 'message', data: 'line one\nline two' },
  { event: 'custom', data: 'no-space' },
  { event: 'message', data: '{"event":"workflow_finished"}', id: '42' },
];

function feed(chunks: Uint8Array[]): SseMessage[] {
  const parser = createSseParser();
  const out: SseMessage[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  out.push(...parser.end());
  return out;
}

describe('createSseParser', () => {
  const bytes = encoder.encode(SAMPLE);

  it('parses the whole sample in one chunk', () => {
    expect(parseSse(bytes)).toEqual(EXPECTED);
  });

  it('gives the same messages for every single split point', () => {
    for (let i = 0; i <= bytes.length; i++) {
      expect(feed([bytes.subarray(0, i), bytes.subarray(i)]), `split at byte ${i}`).toEqual(EXPECTED);
    }
  });

  it('gives the same messages for every pair of split points', () => {
    // Every (i, j) with i < j: three chunks, covering splits inside UTF-8 sequences and CRLF pairs.
    for (let i = 1; i < bytes.length; i++) {
      for (let j = i + 1; j < bytes.length; j++) {
        const got = feed([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        if (JSON.stringify(got) !== JSON.stringify(EXPECTED)) expect(got, `splits at ${i}, ${j}`).toEqual(EXPECTED);
      }
    }
  });

  it('gives the same messages one byte at a time', () => {
    expect(feed([...bytes].map((byte) => Uint8Array.of(byte)))).toEqual(EXPECTED);
  });

  it('keeps a multibyte character intact when split inside it', () => {
    const emoji = encoder.encode('data: 👋\n\n');
    // The emoji is 4 bytes starting at offset 6: split after each of its first three bytes.
    for (const cut of [7, 8, 9]) {
      expect(feed([emoji.subarray(0, cut), emoji.subarray(cut)])).toEqual([{ event: 'message', data: '👋' }]);
    }
  });

  it('treats CR then LF in separate chunks as one line ending, not a blank line', () => {
    const parser = createSseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\ndata: b\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('dispatches a last event that has no closing blank line (no end marker)', () => {
    expect(parseSse('data: {"event":"message_end"}\n')).toEqual([{ event: 'message', data: '{"event":"message_end"}' }]);
    expect(parseSse('data: tail-without-newline')).toEqual([{ event: 'message', data: 'tail-without-newline' }]);
  });

  it('ignores comments, unknown fields and retry, and empty streams', () => {
    expect(parseSse(':only a comment\n\nretry: 100\nfoo: bar\n\n')).toEqual([]);
    expect(parseSse('')).toEqual([]);
  });

  it('keeps an empty data line as an empty string and a field without colon as empty value', () => {
    expect(parseSse('data\ndata:\ndata: x\n\n')).toEqual([{ event: 'message', data: '\n\nx' }]);
  });

  it('strips only one leading space from a value', () => {
    expect(parseSse('data:   indented\n\n')).toEqual([{ event: 'message', data: '  indented' }]);
  });

  it('strips a UTF-8 byte order mark at the start', () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data: x\n\n')]);
    expect(feed([withBom.subarray(0, 2), withBom.subarray(2)])).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('resets the event name after each dispatch', () => {
    expect(parseSse('event: ping\n\ndata: y\n\n')).toEqual([
      { event: 'ping', data: '' },
      { event: 'message', data: 'y' },
    ]);
  });
});
