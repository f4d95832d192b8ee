/**
 * A real SMSC for tests: the smpp package's server side on 127.0.0.1, accepting one system_id and
 * password, answering submit_sm with a message id and reassembling concatenated parts.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as smpp from 'smpp';
import { encodings } from 'smpp/lib/defs.js';
import { readSmsPart } from '../../src/messaging/index.ts';

export interface ReceivedSms {
  to: string;
  from: string;
  text: string;
  dataCoding: number;
  parts: number;
}

export interface TestSmsc {
  port: number;
  url: string;
  received: ReceivedSms[];
  /** Resolves with the next `count` complete messages received from now on (or already waiting). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedSms[]>;
  /** Drops every bound session (an SMSC restart) but keeps listening. */
  dropSessions(): void;
  close(): Promise<void>;
}

export async function startTestSmsc(systemId = 'switchyard', password = 'secret'): Promise<TestSmsc> {
  const received: ReceivedSms[] = [];
  const pending = new Map<string, { texts: string[]; total: number; got: number }>();
  const sessions = new Set<smpp.Session>();
  let nextId = 1;
  const server = smpp.createServer((session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => sessions.delete(session));
    session.on('bind_transmitter', (pdu: smpp.Pdu) => {
      const ok = pdu.system_id === systemId && pdu.password === password;
      session.send(pdu.response(ok ? {} : { command_status: smpp.ESME_RBINDFAIL }));
    });
    session.on('enquire_link', (pdu: smpp.Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: smpp.Pdu) => {
      const id = `smsc-${nextId++}`;
      session.send(pdu.response({ message_id: id }));
      const sm = pdu.short_message;
      // The library decodes the payload itself; re-read the raw octets the way a handset would.
      const raw = rawOctets(sm, pdu.data_coding ?? 0);
      const part = readSmsPart(raw, pdu.data_coding ?? 0, pdu.esm_class ?? 0);
      const to = pdu.destination_addr ?? '';
      const from = pdu.source_addr ?? '';
      const coding = pdu.data_coding ?? 0;
      if (part.total === undefined || part.seq === undefined || part.reference === undefined) {
        received.push({ to, from, text: part.text, dataCoding: coding, parts: 1 });
        return;
      }
      const key = `${to}/${part.reference}`;
      const entry = pending.get(key) ?? { texts: [], total: part.total, got: 0 };
      entry.texts[part.seq - 1] = part.text;
      entry.got += 1;
      pending.set(key, entry);
      if (entry.got === entry.total) {
        pending.delete(key);
        received.push({ to, from, text: entry.texts.join(''), dataCoding: coding, parts: entry.total });
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  let consumed = 0;
  return {
    port,
    url: `smpp://${systemId}:${password}@127.0.0.1:${port}`,
    received,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < consumed + count) {
        if (Date.now() > deadline)
          throw new Error(`test SMSC received ${received.length - consumed} of ${count} messages`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const out = received.slice(consumed, consumed + count);
      consumed += count;
      return out;
    },
    dropSessions() {
      for (const s of sessions) s.destroy();
    },
    async close() {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The library hands over short_message decoded (its UDH split into elements, its text decoded by
 * data_coding, 0x01 read as GSM 03.38). Encode it back with the library's own codec to get the
 * octets that were on the wire, then read them as a handset would.
 */
function rawOctets(sm: smpp.ShortMessage | undefined, coding: number): Buffer {
  if (sm === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(sm)) return sm;
  const codec = coding === 0x08 ? 'UCS2' : coding === 0x03 ? 'LATIN1' : 'ASCII';
  const encode = (m: string | Buffer) => (Buffer.isBuffer(m) ? m : encodings[codec].encode(m));
  if (typeof sm === 'string') return encode(sm);
  const elements = sm.udh === undefined ? [] : Array.isArray(sm.udh) ? sm.udh : [sm.udh];
  if (elements.length === 0) return encode(sm.message);
  const udh = Buffer.concat(elements);
  return Buffer.concat([Buffer.from([udh.length]), udh, encode(sm.message)]);
}
