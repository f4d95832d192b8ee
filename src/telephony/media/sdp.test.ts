import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SdpNegotiationError } from './media-errors.ts';
import { fmtpFor, mediaConnection, mediaDirection, parseSdp, rtpMaps, serializeSdp } from './sdp.ts';

const LINPHONE_OFFER = [
  'v=0',
  'o=alice 3724 1932 IN IP4 192.0.2.10',
  's=Talk',
  'c=IN IP4 192.0.2.10',
  'b=AS:80',
  't=0 0',
  'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
  'm=audio 7078 RTP/AVP 96 0 8 101',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 useinbandfec=1',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=rtcp:7079',
  'a=sendonly',
  'm=video 9078 RTP/AVP 97',
  'c=IN IP4 192.0.2.11',
  'a=rtpmap:97 VP8/90000',
  '',
].join('\r\n');

describe('SDP parse/serialize (RFC 8866)', () => {
  it('parses session and media level fields', () => {
    const sdp = parseSdp(LINPHONE_OFFER);
    expect(sdp.origin).toMatchObject({
      username: 'alice',
      sessionId: '3724',
      sessionVersion: '1932',
      address: '192.0.2.10',
    });
    expect(sdp.media).toHaveLength(2);
    const audio = sdp.media[0];
    if (!audio) throw new Error('no audio');
    expect(audio).toMatchObject({
      media: 'audio',
      port: 7078,
      protocol: 'RTP/AVP',
      formats: ['96', '0', '8', '101'],
    });
    expect(rtpMaps(audio).get(96)).toEqual({
      payloadType: 96,
      encodingName: 'opus',
      clockRate: 48000,
      channels: 2,
    });
    expect(fmtpFor(audio, 101)).toBe('0-15');
    expect(mediaDirection(sdp, audio)).toBe('sendonly');
    expect(mediaConnection(sdp, audio)?.address).toBe('192.0.2.10');
    expect(mediaConnection(sdp, sdp.media[1] ?? audio)?.address).toBe('192.0.2.11');
  });

  it('accepts LF-only line ends', () => {
    expect(parseSdp(LINPHONE_OFFER.replaceAll('\r\n', '\n')).media).toHaveLength(2);
  });

  it('round-trips through serialize', () => {
    const once = serializeSdp(parseSdp(LINPHONE_OFFER));
    expect(serializeSdp(parseSdp(once))).toBe(once);
    expect(once).toContain('a=rtcp-xr:rcvr-rtt=all:10000');
    expect(once.endsWith('\r\n')).toBe(true);
  });

  it('rejects bodies without v=0 / o= or with a broken m= line', () => {
    expect(() => parseSdp('o=a 1 1 IN IP4 1.2.3.4\r\n')).toThrow(SdpNegotiationError);
    expect(() => parseSdp('v=0\r\ns=x\r\n')).toThrow(SdpNegotiationError);
    expect(() => parseSdp('v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n')).toThrow(
      SdpNegotiationError,
    );
    expect(() => parseSdp('v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\ngarbage\r\n')).toThrow(SdpNegotiationError);
  });

  it('either parses or throws SdpNegotiationError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          parseSdp(`v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\n${text}`);
        } catch (error) {
          expect(error).toBeInstanceOf(SdpNegotiationError);
        }
      }),
    );
  });
});
