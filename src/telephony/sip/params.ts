/**
 * Generic `;name=value` parameter lists shared by SIP URIs, name-addr headers and Via
 * (RFC 3261 §19.1.1 uri-parameters, §25.1 generic-param). Parameter names are
 * case-insensitive, so they are stored lower-cased; a flag parameter has value `null`.
 */
export type SipParams = Map<string, string | null>;

/**
 * Split `text` on `separator`, ignoring separators inside double quotes or (unless
 * `angleBrackets` is false) angle brackets. Quoted strings may contain backslash escapes
 * (§25.1 quoted-pair).
 */
export function splitOutsideQuotes(text: string, separator: string, angleBrackets = true): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  let angle = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      current += ch;
      if (ch === '\\' && i + 1 < text.length) {
        current += text[i + 1];
        i++;
      } else if (ch === '"') {
        inQuotes = false;
      }
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === '<' && angleBrackets) angle++;
    else if (ch === '>' && angle > 0) angle--;
    if (ch === separator && angle === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Parse `;a=1;b;c="x y"` (leading separator optional). Returns undefined on an empty name. */
export function parseParams(text: string): SipParams | undefined {
  const params: SipParams = new Map();
  const trimmed = text.trim();
  if (trimmed === '') return params;
  const body = trimmed.startsWith(';') ? trimmed.slice(1) : trimmed;
  // An unterminated quoted string would swallow every parameter after it, including the
  // received/rport we append to a Via, and send responses astray (found by fuzzing).
  if (unterminatedQuote(body)) return undefined;
  // Parameters hold no name-addr, so a stray '<' in a value (found by fuzzing: "branch=z9hG4<K")
  // must not swallow the parameters after it, e.g. the received/rport we stamp on a Via.
  for (const raw of splitOutsideQuotes(body, ';', false)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '' || /[\s"<>]/.test(name)) return undefined;
    const value = eq === -1 ? null : part.slice(eq + 1).trim();
    params.set(name, value);
  }
  return params;
}

function unterminatedQuote(text: string): boolean {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes && ch === '\\') i++;
    else if (ch === '"') inQuotes = !inQuotes;
  }
  return inQuotes;
}

export function serializeParams(params: SipParams): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** Remove surrounding double quotes and unescape quoted-pairs (§25.1). */
export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

export function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}
