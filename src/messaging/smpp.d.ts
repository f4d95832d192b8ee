/** The part of the untyped `smpp` package (0.5) Switchyard uses: an ESME client and, in tests, an SMSC. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export type ShortMessage = Buffer | string | { udh?: Buffer | Buffer[]; message: string | Buffer };

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    system_id?: string;
    password?: string;
    source_addr?: string;
    destination_addr?: string;
    esm_class?: number;
    data_coding?: number;
    message_id?: string;
    short_message?: ShortMessage;
    response(options?: Record<string, unknown>): Pdu;
  }

  export interface Session extends EventEmitter {
    send(pdu: Pdu, onResponse?: (pdu: Pdu) => void): boolean;
    bind_transmitter(options: Record<string, unknown>, onResponse: (pdu: Pdu) => void): void;
    submit_sm(options: Record<string, unknown>, onResponse: (pdu: Pdu) => void): void;
    unbind(options?: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
  }

  export interface Server extends NetServer {
    listen(port: number, host: string, callback?: () => void): this;
  }

  export function connect(options: { host: string; port: number; tls?: boolean }): Session;
  export function createServer(listener: (session: Session) => void): Server;
  export const ESME_ROK: number;
  export const ESME_RBINDFAIL: number;
}

/** The package's own text codecs (GSM 03.38 as "ASCII", LATIN1, UCS2), for the test SMSC. */
declare module 'smpp/lib/defs.js' {
  export const encodings: Record<'ASCII' | 'LATIN1' | 'UCS2', { encode(text: string): Buffer }>;
}
