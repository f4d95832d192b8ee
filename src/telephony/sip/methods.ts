/**
 * Methods this UA implements (sent in Allow, §20.5) versus methods it merely recognises: a
 * recognised but unsupported method gets 405 with Allow, an unknown one 501 (§8.2.1, §21.5.2).
 */
export const ALLOWED_METHODS = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'INFO',
  'REGISTER',
  'REFER',
] as const;

export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  ...ALLOWED_METHODS,
  'PRACK',
  'UPDATE',
  'SUBSCRIBE',
  'NOTIFY',
  'REFER',
  'MESSAGE',
  'PUBLISH',
]);

export const ALLOW_HEADER = ALLOWED_METHODS.join(', ');
