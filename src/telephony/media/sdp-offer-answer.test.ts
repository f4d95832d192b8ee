import { describe, expect, it } from 'vitest';
import { SdpNegotiationError } from './media-errors.ts';
import { parseSdp } from './sdp.ts';
import { createAnswer, createOffer, mirrorDirection, parseAnswer } from './sdp-offer-answer.ts';

function offer(formats: string, extra: string[] = [], connection = '203.0.113.5'): string {
  return [
    'v=0',
    'o=- 1 1 IN IP4 203.0.113.5',
    's=-',
    `c=IN IP4 ${connection}`,
    't=0 0',
    `m=audio 40000 RTP/AVP ${formats}`,
    ...extra,
    '',
  ].join('\r\n');
}

const US = { address: '198.51.100.1', port: 20000, origin: { sessionId: '42', sessionVersion: 1 } };

describe('createOffer (RFC 3264 §5)', () => {
  it('offers PCMU, PCMA and telephone-event 101 with 0-16', () => {
    const sdp = parseSdp(createOffer(US));
    expect(sdp.connection?.address).toBe('198.51.100.1');
    expect(sdp.media[0]).toMatchObject({ port: 20000, protocol: 'RTP/AVP', formats: ['0', '8', '101'] });
    const attributes = sdp.media[0]?.attributes.map((a) => `${a.name}:${a.value ?? ''}`);
    expect(attributes).toEqual(
      expect.arrayContaining(['rtpmap:101 telephone-event/8000', 'fmtp:101 0-16', 'ptime:20', 'sendrecv:']),
    );
    expect(sdp.origin).toMatchObject({ sessionId: '42', sessionVersion: '1' });
  });
});

describe('createAnswer (RFC 3264 §6)', () => {
  it('chooses the first codec of the offer that we support, keeping the offered PT', () => {
    const result = createAnswer(offer('18 8 0', ['a=rtpmap:18 G729/8000']), US);
    expect(result.media).toMatchObject({
      codec: 'PCMA',
      payloadType: 8,
      remoteAddress: '203.0.113.5',
      remotePort: 40000,
    });
    expect(parseSdp(result.sdp).media[0]?.formats).toEqual(['8']);
  });

  it('answers a PCMA-only offer with PCMA', () => {
    const result = createAnswer(offer('8'), US);
    expect(result.media.codec).toBe('PCMA');
  });

  it('keeps telephone-event on the offered dynamic PT', () => {
    const result = createAnswer(offer('0 96', ['a=rtpmap:96 telephone-event/8000', 'a=fmtp:96 0-15']), US);
    expect(result.media.telephoneEventPt).toBe(96);
    const media = parseSdp(result.sdp).media[0];
    expect(media?.formats).toEqual(['0', '96']);
    expect(media?.attributes).toContainEqual({ name: 'rtpmap', value: '96 telephone-event/8000' });
  });

  it('leaves telephone-event out when not offered', () => {
    expect(createAnswer(offer('0'), US).media.telephoneEventPt).toBeNull();
  });

  it('rejects an offer without a common codec with no_common_codec (caller sends 488)', () => {
    const attempt = () => createAnswer(offer('18 9', ['a=rtpmap:18 G729/8000']), US);
    expect(attempt).toThrow(SdpNegotiationError);
    try {
      attempt();
    } catch (error) {
      expect((error as SdpNegotiationError).code).toBe('no_common_codec');
    }
  });

  it('rejects SRTP-only audio and offers without audio', () => {
    const savp = offer('0').replace('RTP/AVP', 'RTP/SAVP');
    expect(() => createAnswer(savp, US)).toThrow(expect.objectContaining({ code: 'unsupported_transport' }));
    const video = offer('97', ['a=rtpmap:97 VP8/90000']).replace('m=audio', 'm=video');
    expect(() => createAnswer(video, US)).toThrow(expect.objectContaining({ code: 'no_audio_stream' }));
  });

  it('declines extra streams with port 0 and keeps the m-line count', () => {
    const text = offer('0') + 'm=video 40002 RTP/AVP 97\r\na=rtpmap:97 VP8/90000\r\n';
    const answer = parseSdp(createAnswer(text, US).sdp);
    expect(answer.media.map((m) => [m.media, m.port])).toEqual([
      ['audio', 20000],
      ['video', 0],
    ]);
  });

  it('mirrors direction for hold: sendonly → recvonly, inactive → inactive, recvonly → sendonly', () => {
    expect(createAnswer(offer('0', ['a=sendonly']), US).media.direction).toBe('recvonly');
    expect(createAnswer(offer('0', ['a=inactive']), US).media.direction).toBe('inactive');
    expect(createAnswer(offer('0', ['a=recvonly']), US).media.direction).toBe('sendonly');
    expect(parseSdp(createAnswer(offer('0', ['a=sendonly']), US).sdp).media[0]?.attributes).toContainEqual({
      name: 'recvonly',
      value: null,
    });
  });

  it('treats c=0.0.0.0 as old-style hold (RFC 3264 §8.4): we do not send', () => {
    expect(createAnswer(offer('0', [], '0.0.0.0'), US).media.direction).toBe('recvonly');
  });

  it('reads a=rtcp (RFC 3605) and a=ptime', () => {
    const media = createAnswer(offer('0', ['a=rtcp:40005', 'a=ptime:30']), US).media;
    expect(media.remoteRtcpPort).toBe(40005);
    expect(media.ptime).toBe(30);
    expect(createAnswer(offer('0'), US).media.remoteRtcpPort).toBe(40001);
  });

  it('combines our own direction wish with the offer', () => {
    expect(mirrorDirection('sendrecv', 'sendonly')).toBe('sendonly');
    expect(mirrorDirection('sendonly', 'sendonly')).toBe('inactive');
  });
});

describe('parseAnswer (RFC 3264 §7)', () => {
  const offered = {
    codecs: ['PCMU', 'PCMA'] as const,
    telephoneEventPt: 101,
    direction: 'sendrecv' as const,
  };

  it('uses the answered codec and telephone-event PT', () => {
    const media = parseAnswer(offer('8 101', ['a=rtpmap:101 telephone-event/8000']), offered);
    expect(media).toMatchObject({
      codec: 'PCMA',
      payloadType: 8,
      telephoneEventPt: 101,
      direction: 'sendrecv',
    });
  });

  it('rejects an answer that declines audio or picks a codec we did not offer', () => {
    expect(() => parseAnswer(offer('0').replace('40000', '0'), offered)).toThrow(SdpNegotiationError);
    expect(() => parseAnswer(offer('18'), offered)).toThrow(SdpNegotiationError);
  });
});
