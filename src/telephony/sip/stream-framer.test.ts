import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamFramer, type FramerEvent } from './stream-framer.ts';

const message = (body: string): string =>
  `MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

const messages = (events: FramerEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'message' ? [e.data.toString('utf8')] : []));

describe('StreamFramer (RFC 3261 §18.3)', () => {
  it('splits back-to-back messages by Content-Length', () => {
    const framer = new StreamFramer();
    const events = framer.push(Buffer.from(message('hello') + message('') + message('wörld')));
    expect(messages(events)).toEqual([message('hello'), message(''), message('wörld')]);
  });

  it('reassembles a message split at every possible byte', () => {
    const whole = Buffer.from(message('body with\r\n\r\nblank lines'));
    for (let cut = 1; cut < whole.length; cut++) {
      const framer = new StreamFramer();
      const out = [...framer.push(whole.subarray(0, cut)), ...framer.push(whole.subarray(cut))];
      expect(messages(out)).toEqual([whole.toString()]);
    }
  });

  it('reassembles arbitrary chunkings of a stream (property)', () => {
    const stream = Buffer.from(message('a') + '\r\n\r\n' + message('bb') + message('ccc'));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 10 }), (cuts) => {
        const framer = new StreamFramer();
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let last = 0;
        const out: FramerEvent[] = [];
        for (const point of [...points, stream.length]) {
          out.push(...framer.push(stream.subarray(last, point)));
          last = point;
        }
        expect(messages(out)).toEqual([message('a'), message('bb'), message('ccc')]);
      }),
    );
  });

  it('skips CRLF keep-alives and reports a double CRLF as a ping (RFC 5626 §4.4.1)', () => {
    const framer = new StreamFramer();
    const events = framer.push(Buffer.from(`\r\n\r\n${message('x')}`));
    expect(events[0]).toEqual({ kind: 'keepalive', ping: true });
    expect(messages(events)).toEqual([message('x')]);
  });

  it('reports garbage as a framing error and then stays closed', () => {
    const framer = new StreamFramer();
    const events = framer.push(Buffer.from('\u0000\u0001garbage\r\n\r\n'));
    expect(events).toEqual([{ kind: 'error', reason: 'garbage before message' }]);
    expect(framer.push(Buffer.from(message('x')))).toEqual([]);
  });

  it('reports a header section over 64 KiB without a blank line', () => {
    const framer = new StreamFramer();
    const events = framer.push(Buffer.from(`INVITE sip:a@b SIP/2.0\r\nX: ${'a'.repeat(70_000)}`));
    expect(events).toEqual([{ kind: 'error', reason: 'header section too large' }]);
  });

  it('reports an invalid or conflicting Content-Length', () => {
    expect(new StreamFramer().push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nl: -1\r\n\r\n'))[0]?.kind).toBe(
      'error',
    );
    const twice = 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab';
    expect(new StreamFramer().push(Buffer.from(twice))[0]?.kind).toBe('error');
  });

  it('keeps a truncated message pending', () => {
    const framer = new StreamFramer();
    expect(framer.push(Buffer.from(message('0123456789')).subarray(0, 80))).toEqual([]);
    expect(framer.pendingBytes).toBe(80);
  });
});
