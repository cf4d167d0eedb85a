// A byte-level Server-Sent Events parser (WHATWG HTML §9.2.6), pure and incremental. Chunks may
// split anywhere: inside a UTF-8 character (TextDecoder in streaming mode), between `\r` and `\n`
// (a pending-CR flag), or mid-line (a carry buffer). Lines end with CRLF, LF or CR.
// Two deliberate deviations for Dify (contract §8.4):
// - an event that names `event:` but carries no `data:` (Dify's `event: ping`) is still
//   dispatched, with empty data, so callers can see liveness; the spec would drop it;
// - at end of stream a pending event without its closing blank line is dispatched, because
//   Dify has no end marker and a proxy may cut the final newline.

export interface SseMessage {
  /** The `event:` field, or `message` when absent. */
  event: string;
  /** `data:` lines joined with `\n`; empty for a data-less event such as `event: ping`. */
  data: string;
  /** The last `id:` seen in the stream, if any. */
  id?: string;
}

export interface SseParser {
  /** Feeds one chunk; returns the messages completed by it. */
  push(chunk: Uint8Array | string): SseMessage[];
  /** Ends the stream; returns a final message if one was pending. */
  end(): SseMessage[];
}

export function createSseParser(): SseParser {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let pendingCr = false;
  let data: string[] = [];
  let eventName: string | undefined;
  let lastId: string | undefined;

  function dispatch(out: SseMessage[]): void {
    if (data.length > 0 || eventName !== undefined) {
      const message: SseMessage = { event: eventName ?? 'message', data: data.join('\n') };
      if (lastId !== undefined) message.id = lastId;
      out.push(message);
    }
    data = [];
    eventName = undefined;
  }

  function line(text: string, out: SseMessage[]): void {
    if (text === '') return dispatch(out);
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') eventName = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    // `retry` and unknown fields are ignored: reconnection is not ours to do.
  }

  function consume(text: string, out: SseMessage[]): void {
    let start = 0;
    if (pendingCr && text.startsWith('\n')) start = 1;
    pendingCr = false;
    let buffer = carry;
    for (let i = start; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      line(buffer + text.slice(start, i), out);
      buffer = '';
      if (ch === 13) {
        if (i + 1 === text.length) pendingCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    carry = buffer + text.slice(start);
  }

  return {
    push(chunk) {
      const out: SseMessage[] = [];
      consume(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), out);
      return out;
    },
    end() {
      const out: SseMessage[] = [];
      consume(decoder.decode(), out);
      if (carry !== '') line(carry, out);
      carry = '';
      dispatch(out);
      return out;
    },
  };
}

/** Parses a whole stream at once (tests, small bodies). */
export function parseSse(body: Uint8Array | string): SseMessage[] {
  const parser = createSseParser();
  return [...parser.push(body), ...parser.end()];
}
