/**
 * Acceptance (issue #4, transports): with SIP_WS_PORT set the running system accepts SIP over
 * WebSocket (RFC 7118, subprotocol "sip") — an OPTIONS gets 200 over the same socket — and a
 * TLS port without a certificate is refused at start with the variables named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/cli/config.ts';
import { freeSipPort } from '../support/ports.ts';
import { startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let wsPort: number;

beforeAll(async () => {
  wsPort = (await freeSipPort(3000)) + 7;
  sut = await startSystemUnderTest({ SIP_WS_PORT: String(wsPort) });
});
afterAll(async () => {
  await sut?.stop();
});

describe('SIP over WebSocket', () => {
  it('answers OPTIONS on the WebSocket port', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}`, 'sip');
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())));
    ws.send(
      [
        `OPTIONS sip:127.0.0.1:${wsPort};transport=ws SIP/2.0`,
        'Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK-ws-1',
        'From: <sip:probe@df7jal23ls0d.invalid>;tag=ws1',
        `To: <sip:127.0.0.1:${wsPort}>`,
        'Call-ID: ws-options-1',
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const text = await reply;
    expect(text.startsWith('SIP/2.0 200')).toBe(true);
    expect(text).toContain('Call-ID: ws-options-1');
    ws.close();
  });

  it('refuses TLS ports without a certificate at start, naming the variables', () => {
    expect(() => loadConfig({ SIP_TLS_PORT: '5061' })).toThrow(/SIP_TLS_CERT/);
    expect(() => loadConfig({ SIP_TLS_CERT: '/nonexistent.pem', SIP_TLS_KEY: '/nonexistent.key' })).toThrow(
      /SIP_TLS_CERT: cannot read/,
    );
  });
});
