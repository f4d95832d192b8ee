/**
 * Splits a byte stream (TCP) into SIP messages. RFC 3261 §18.3: on stream transports the
 * Content-Length header MUST be used to find the end of each message. RFC 5626 §4.4.1 adds
 * CRLF keep-alives: a double CRLF "ping" between messages, answered by a single CRLF "pong".
 */

export type FramerEvent =
  | { kind: 'message'; data: Buffer }
  | { kind: 'keepalive'; ping: boolean }
  | { kind: 'error'; reason: string };

export interface StreamFramerOptions {
  maxHeaderBytes?: number;
  maxBodyBytes?: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;

  constructor(options: StreamFramerOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 64 * 1024;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  }

  /** Bytes received but not yet framed; lets a caller notice a truncated message on close. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /**
   * Feed bytes; returns complete messages, keep-alives, and at most one error. After an
   * error the stream cannot be resynchronised (the next message boundary is unknown), so the
   * framer stays failed and the connection should be closed.
   */
  push(chunk: Buffer): FramerEvent[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: FramerEvent[] = [];
    // Each iteration consumes at least one byte or returns, so the loop is bounded by the buffer size.
    while (this.buffer.length > 0) {
      const crlf = this.leadingCrlf();
      if (crlf > 0) {
        if (crlf === this.buffer.length && crlf < 4 && crlf % 2 === 1) return events; // wait for the LF
        const pairs = Math.floor(crlf / 2) || 1;
        events.push({ kind: 'keepalive', ping: pairs >= 2 });
        this.buffer = this.buffer.subarray(crlf);
        continue;
      }
      const headerEnd = this.buffer.indexOf(CRLFCRLF);
      if (headerEnd === -1) {
        if (this.buffer.length > this.maxHeaderBytes) return this.fail(events, 'header section too large');
        return events;
      }
      if (headerEnd > this.maxHeaderBytes) return this.fail(events, 'header section too large');
      const head = this.buffer.toString('latin1', 0, headerEnd);
      if (!/^(SIP\/2\.0 |[A-Za-z0-9.!%*_+`'~-]+ \S)/.test(head))
        return this.fail(events, 'garbage before message');
      const contentLength = findContentLength(head);
      if (contentLength === 'invalid') return this.fail(events, 'invalid Content-Length');
      if (contentLength > this.maxBodyBytes) return this.fail(events, 'body too large');
      const total = headerEnd + 4 + contentLength;
      if (this.buffer.length < total) return events;
      events.push({ kind: 'message', data: Buffer.from(this.buffer.subarray(0, total)) });
      this.buffer = this.buffer.subarray(total);
    }
    return events;
  }

  private leadingCrlf(): number {
    let n = 0;
    while (n < this.buffer.length && (this.buffer[n] === 0x0d || this.buffer[n] === 0x0a)) n++;
    return n;
  }

  private fail(events: FramerEvent[], reason: string): FramerEvent[] {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    events.push({ kind: 'error', reason });
    return events;
  }
}

/** Content-Length (or compact `l`) from a raw header block; 0 when absent. */
function findContentLength(head: string): number | 'invalid' {
  let found: number | undefined;
  for (const line of head.split('\r\n')) {
    const match = /^(content-length|l)[ \t]*:[ \t]*(.*)$/i.exec(line);
    if (match === null) continue;
    const value = (match[2] as string).trim();
    if (!/^\d{1,10}$/.test(value)) return 'invalid';
    const n = Number(value);
    if (found !== undefined && found !== n) return 'invalid';
    found = n;
  }
  return found ?? 0;
}
