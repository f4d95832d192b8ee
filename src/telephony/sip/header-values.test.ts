import { describe, expect, it } from 'vitest';
import { parseCSeq, serializeCSeq } from './cseq.ts';
import { maskNumber, maskUri } from './logger.ts';
import { SipHeaders } from './message.ts';
import { parseNameAddr, serializeNameAddr, tagOf, withTag, withoutTag } from './name-addr.ts';
import { parseUri, serializeUri } from './uri.ts';
import { responseTarget, type PeerAddress } from './transport.ts';
import { parseVia, serializeVia, stampReceived } from './via.ts';

describe('SIP URI (RFC 3261 §19.1)', () => {
  it('parses user, host, port, params and headers and serializes back', () => {
    const text = 'sip:alice:pw@atlanta.com:5070;transport=tcp;lr?subject=project';
    const uri = parseUri(text);
    expect(uri).toMatchObject({
      scheme: 'sip',
      user: 'alice',
      password: 'pw',
      host: 'atlanta.com',
      port: 5070,
      headers: 'subject=project',
    });
    expect(uri?.params.get('transport')).toBe('tcp');
    expect(uri?.params.get('lr')).toBeNull();
    expect(serializeUri(uri!)).toBe(text);
  });

  it('rejects other schemes, bad ports and empty hosts', () => {
    expect(parseUri('tel:+8613812345678')).toBeUndefined();
    expect(parseUri('sip:alice@host:70000')).toBeUndefined();
    expect(parseUri('sip:alice@')).toBeUndefined();
    expect(parseUri('sip:@host')).toBeUndefined();
  });
});

describe('name-addr (§20.10)', () => {
  it('parses display name, URI and tag', () => {
    const value = parseNameAddr('"Alice Liddell" <sip:alice@example.com;transport=tcp>;tag=88sja8x');
    expect(value?.displayName).toBe('Alice Liddell');
    expect(value?.uri).toBe('sip:alice@example.com;transport=tcp');
    expect(value?.params.get('tag')).toBe('88sja8x');
  });

  it('gives params after a bare addr-spec to the header, not the URI', () => {
    const value = parseNameAddr('sip:alice@example.com;tag=1928301774');
    expect(value?.uri).toBe('sip:alice@example.com');
    expect(value?.params.get('tag')).toBe('1928301774');
  });

  it('handles unquoted display names, wildcard Contact and tag helpers', () => {
    expect(parseNameAddr('Bob <sip:bob@b.com>')?.displayName).toBe('Bob');
    expect(parseNameAddr('*')?.uri).toBe('*');
    expect(tagOf('<sip:a@b>')).toBeUndefined();
    expect(withTag('<sip:a@b>', 'xyz')).toBe('<sip:a@b>;tag=xyz');
    expect(withoutTag('"A" <sip:a@b>;tag=1;x=2')).toBe('"A" <sip:a@b>;x=2');
    expect(serializeNameAddr(parseNameAddr('"Q \\"x\\"" <sip:a@b>')!)).toBe('"Q \\"x\\"" <sip:a@b>');
  });
});

describe('Via (§20.42, RFC 3581)', () => {
  it('parses protocol, sent-by and params', () => {
    const via = parseVia('SIP/2.0/udp pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport');
    expect(via).toMatchObject({
      protocol: 'SIP',
      version: '2.0',
      transport: 'UDP',
      host: 'pc33.atlanta.com',
      port: 5066,
    });
    expect(via?.params.get('rport')).toBeNull();
    expect(serializeVia(via!)).toBe('SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;rport');
  });

  it('the server MUST add received when sent-by differs from the source (§18.2.1)', () => {
    const via = stampReceived(
      parseVia('SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7')!,
      '192.0.2.4',
      5060,
    );
    expect(via.params.get('received')).toBe('192.0.2.4');
    expect(via.params.has('rport')).toBe(false);
  });

  it('fills rport with the source port and adds received when the client asked (RFC 3581 §4)', () => {
    const via = stampReceived(
      parseVia('SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKx;rport')!,
      '192.0.2.1',
      9988,
    );
    expect(serializeVia(via)).toBe('SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKx;rport=9988;received=192.0.2.1');
  });

  it('forceRport gives symmetric response routing to clients that did not ask (NAT)', () => {
    const source: PeerAddress = { transport: 'udp', host: '198.51.100.9', port: 31000 };
    const plain = parseVia('SIP/2.0/UDP 10.0.0.8:5060;branch=z9hG4bKn')!;
    expect(responseTarget(stampReceived(plain, source.host, source.port), source)).toEqual({
      transport: 'udp',
      host: '198.51.100.9',
      port: 5060,
    });
    expect(responseTarget(stampReceived(plain, source.host, source.port, true), source)).toEqual(source);
  });

  it('responses over TCP go back over the connection they came from (§18.2.2)', () => {
    const source: PeerAddress = {
      transport: 'tcp',
      host: '198.51.100.9',
      port: 31000,
      connectionId: 'tcp-7',
    };
    expect(responseTarget(parseVia('SIP/2.0/TCP 10.0.0.8:5060;branch=z9hG4bKn'), source)).toEqual(source);
  });

  it('leaves an already matching sent-by without received', () => {
    const via = stampReceived(parseVia('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx')!, '192.0.2.1', 5060);
    expect(via.params.has('received')).toBe(false);
  });
});

describe('CSeq (§20.16)', () => {
  it('parses and serializes', () => {
    expect(parseCSeq('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(serializeCSeq({ seq: 1, method: 'ACK' })).toBe('1 ACK');
    expect(parseCSeq('x INVITE')).toBeUndefined();
  });
});

describe('SipHeaders', () => {
  it('looks up case-insensitively and keeps order', () => {
    const headers = new SipHeaders([
      ['Via', 'a'],
      ['v', 'b'],
      ['From', 'f'],
    ]);
    expect(headers.getAll('VIA')).toEqual(['a', 'b']);
    headers.prepend('Via', 'top');
    headers.set('from', 'g');
    expect(headers.entries().map((f) => f.value)).toEqual(['top', 'a', 'b', 'g']);
    headers.removeFirstValue('via');
    expect(headers.get('via')).toBe('a');
    headers.delete('V');
    expect(headers.has('via')).toBe(false);
  });
});

describe('log masking', () => {
  it('keeps only the last four digits of phone numbers', () => {
    expect(maskNumber('+8613812345678')).toBe('+*********5678');
    expect(maskNumber('1001')).toBe('1001');
    expect(maskUri('"Bob" <sip:13812345678@10.0.0.1:50600>')).toBe('"Bob" <sip:*******5678@10.0.0.1:50600>');
    expect(maskUri('tel:+8613812345678')).toBe('tel:+*********5678');
  });
});
