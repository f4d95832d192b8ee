/**
 * SMS through an SMSC over SMPP 3.4: one transmitter bind, opened on the first message and kept
 * while the SMSC keeps it; each message is submitted as one or more submit_sm (sms-segments.ts).
 * A bind refused, a submit refused or an SMSC that does not answer within `timeoutMs` fails the
 * message with the reason.
 */
import * as smpp from 'smpp';
import type { SmppConfig } from './messaging-config.ts';
import type { SmsTransport } from './messaging.ts';
import { smsParts } from './sms-segments.ts';

function withTimeout<T>(
  what: string,
  ms: number,
  run: (done: (v: T) => void, fail: (e: Error) => void) => void,
) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMSC did not answer ${what} within ${ms} ms`)), ms);
    run(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export class SmppTransport implements SmsTransport {
  private session: Promise<smpp.Session> | null = null;
  private reference = Math.floor(Math.random() * 256);

  constructor(
    private readonly config: SmppConfig,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(to: string, text: string): Promise<{ providerMessageId: string | null }> {
    const session = await this.bound();
    this.reference = (this.reference + 1) & 0xff;
    const ids: string[] = [];
    for (const part of smsParts(text, this.reference)) {
      const id = await withTimeout<string>('submit_sm', this.timeoutMs, (done, fail) => {
        session.submit_sm(
          {
            source_addr: this.config.sourceAddr,
            source_addr_ton: /^\d+$/.test(this.config.sourceAddr) ? 0 : 5,
            dest_addr_ton: 1,
            dest_addr_npi: 1,
            destination_addr: to.replace(/^\+/, ''),
            esm_class: part.esmClass,
            data_coding: part.dataCoding,
            registered_delivery: 0,
            short_message: part.payload,
          },
          (pdu) =>
            pdu.command_status === 0
              ? done(pdu.message_id ?? '')
              : fail(
                  new Error(`SMSC refused submit_sm: command_status 0x${pdu.command_status.toString(16)}`),
                ),
        );
      });
      ids.push(id);
    }
    return { providerMessageId: ids.filter((i) => i !== '').join(',') || null };
  }

  async close(): Promise<void> {
    const pending = this.session;
    this.session = null;
    if (!pending) return;
    const session = await pending.catch(() => null);
    if (!session) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => session.destroy(() => resolve()), 1000);
      session.unbind({}, () => {
        clearTimeout(timer);
        session.close(() => resolve());
      });
    });
  }

  private bound(): Promise<smpp.Session> {
    if (this.session) return this.session;
    const opening = withTimeout<smpp.Session>('bind_transmitter', this.timeoutMs, (done, fail) => {
      const session = smpp.connect({ host: this.config.host, port: this.config.port });
      const forget = () => {
        if (this.session === opening) this.session = null;
      };
      session.on('error', (err: Error) => {
        forget();
        fail(new Error(`SMSC ${this.config.host}:${this.config.port} unreachable: ${err.message}`));
      });
      session.on('close', forget);
      session.bind_transmitter({ system_id: this.config.systemId, password: this.config.password }, (pdu) => {
        if (pdu.command_status === 0) return done(session);
        session.destroy();
        fail(new Error(`SMSC refused bind_transmitter: command_status 0x${pdu.command_status.toString(16)}`));
      });
    });
    this.session = opening;
    opening.catch(() => {
      if (this.session === opening) this.session = null;
    });
    return opening;
  }
}
