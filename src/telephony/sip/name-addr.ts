import { parseParams, quote, serializeParams, unquote, type SipParams } from './params.ts';

/**
 * The From/To/Contact/Route value form (RFC 3261 §20.10, §25.1):
 *   name-addr = [ display-name ] LAQUOT addr-spec RAQUOT, followed by header params.
 * When the URI is written without angle brackets (addr-spec form), any `;params` belong to the
 * header, not to the URI (§20.10), which is why tag parsing needs this module.
 */
export interface NameAddr {
  displayName?: string;
  /** The URI text; may be any scheme, or `*` for a wildcard Contact (§10.2.2). */
  uri: string;
  params: SipParams;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export function parseNameAddr(text: string): NameAddr | undefined {
  const value = text.trim();
  if (value === '*') return { uri: '*', params: new Map() };
  let displayName: string | undefined;
  let rest = value;
  if (rest.startsWith('"')) {
    let end = -1;
    for (let i = 1; i < rest.length; i++) {
      if (rest[i] === '\\') i++;
      else if (rest[i] === '"') {
        end = i;
        break;
      }
    }
    if (end === -1) return undefined;
    displayName = unquote(rest.slice(0, end + 1));
    rest = rest.slice(end + 1).trimStart();
    if (!rest.startsWith('<')) return undefined;
  }

  let uri: string;
  let paramText: string;
  const lt = rest.indexOf('<');
  if (lt !== -1) {
    if (displayName === undefined) {
      const token = rest.slice(0, lt).trim();
      if (token !== '') displayName = token;
    }
    const gt = rest.indexOf('>', lt);
    if (gt === -1) return undefined;
    uri = rest.slice(lt + 1, gt).trim();
    paramText = rest.slice(gt + 1);
  } else {
    const semi = rest.indexOf(';');
    uri = (semi === -1 ? rest : rest.slice(0, semi)).trim();
    paramText = semi === -1 ? '' : rest.slice(semi);
    // addr-spec must not contain ',', '?' or ';' unquoted (§20.10): a bare URI with spaces is junk.
    if (/[\s,?]/.test(uri)) return undefined;
  }
  if (!SCHEME.test(uri)) return undefined;
  if (paramText.trim() !== '' && !paramText.trim().startsWith(';')) return undefined;
  const params = parseParams(paramText);
  if (params === undefined) return undefined;
  const result: NameAddr = { uri, params };
  if (displayName !== undefined) result.displayName = displayName;
  return result;
}

export function serializeNameAddr(nameAddr: NameAddr): string {
  if (nameAddr.uri === '*') return '*';
  const display = nameAddr.displayName === undefined ? '' : `${quote(nameAddr.displayName)} `;
  return `${display}<${nameAddr.uri}>${serializeParams(nameAddr.params)}`;
}

export function tagOf(headerValue: string | undefined): string | undefined {
  if (headerValue === undefined) return undefined;
  const tag = parseNameAddr(headerValue)?.params.get('tag');
  return tag === null || tag === '' ? undefined : tag;
}

/** Same header value with `tag` set; used by a UAS adding its To tag (§8.2.6.2). */
export function withTag(headerValue: string, tag: string): string {
  const parsed = parseNameAddr(headerValue);
  if (parsed === undefined) return `${headerValue};tag=${tag}`;
  parsed.params.set('tag', tag);
  return serializeNameAddr(parsed);
}

/** Header value without its tag: the dialog's local/remote URI as kept in dialog state (§12.1). */
export function withoutTag(headerValue: string): string {
  const parsed = parseNameAddr(headerValue);
  if (parsed === undefined) return headerValue;
  parsed.params.delete('tag');
  return serializeNameAddr(parsed);
}
