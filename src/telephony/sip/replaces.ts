/**
 * RFC 3891 Replaces as a phone puts it in the Refer-To of an attended transfer (RFC 5589 §7):
 * `<sip:target@host?Replaces=<call-id>%3Bto-tag%3D<tag>%3Bfrom-tag%3D<tag>>`. It names the
 * dialog between the transferor and the transfer target; `toTag` is the target's tag (for us, the
 * switch's own tag of that dialog) and `fromTag` the transferor's.
 */
import { parseUri } from './uri.ts';

export interface Replaces {
  callId: string;
  toTag: string;
  fromTag: string;
  /** `early-only`: replace the dialog only while it is still early. */
  earlyOnly: boolean;
}

/**
 * The Replaces header embedded in a Refer-To URI: null when the URI has none (a blind transfer),
 * 'malformed' when it has one that cannot be read (such a transfer must not turn into a blind one).
 */
export function replacesInReferTo(uri: string): Replaces | 'malformed' | null {
  const headers = parseUri(uri)?.headers;
  if (headers === undefined) return null;
  const field = headers.split('&').find((h) => /^replaces=/i.test(h));
  if (field === undefined) return null;
  let value: string;
  try {
    value = decodeURIComponent(field.slice(field.indexOf('=') + 1));
  } catch {
    return 'malformed';
  }
  const [callId, ...params] = value.split(';').map((p) => p.trim());
  const param = (name: string) => {
    const hit = params.find((p) => p.toLowerCase().startsWith(`${name}=`));
    return hit === undefined ? undefined : hit.slice(name.length + 1);
  };
  const toTag = param('to-tag');
  const fromTag = param('from-tag');
  if (!callId || !toTag || !fromTag) return 'malformed';
  return { callId, toTag, fromTag, earlyOnly: params.some((p) => p.toLowerCase() === 'early-only') };
}
