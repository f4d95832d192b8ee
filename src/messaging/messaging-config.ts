/**
 * Gateways for SMS, e-mail and fax from the environment. Every channel is optional: an
 * unconfigured one is logged as a failed message whose error names the variable to set, so a
 * missing gateway shows up in the message log rather than as a crash in a call.
 */
export interface SmppConfig {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** The sender shown on the phone (a short code or alphanumeric id). */
  sourceAddr: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export interface MessagingConfig {
  smpp: SmppConfig | null;
  smtp: SmtpConfig | null;
  /** E-mail-to-fax gateway: a fax to 02088886666 is mailed to 02088886666@<faxDomain>. */
  faxDomain: string | null;
}

export const messagingConfigHelp: [string, string, string][] = [
  ['SMPP_URL', '(off)', 'SMSC for SMS: smpp://system_id:password@host:2775'],
  ['SMPP_SOURCE_ADDR', 'Switchyard', 'sender address of SMS (short code or name)'],
  ['SMTP_URL', '(off)', 'mail server for e-mail and fax: smtp://user:pass@host:587 (smtps:// for TLS)'],
  ['MAIL_FROM', 'switchyard@localhost', 'From address of e-mail and fax'],
  ['FAX_GATEWAY_DOMAIN', '(off)', 'e-mail-to-fax gateway domain: faxes go to NUMBER@domain through SMTP_URL'],
];

function parseUrl(name: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL like ${protocols[0]}//host:port, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol) || !url.hostname)
    throw new Error(`${name} must start with ${protocols.join(' or ')}// and name a host, got "${raw}"`);
  return url;
}

export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  let smpp: SmppConfig | null = null;
  if (env.SMPP_URL) {
    const url = parseUrl('SMPP_URL', env.SMPP_URL, ['smpp:']);
    smpp = {
      host: url.hostname,
      port: url.port ? Number(url.port) : 2775,
      systemId: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      sourceAddr: env.SMPP_SOURCE_ADDR || 'Switchyard',
    };
  }
  let smtp: SmtpConfig | null = null;
  if (env.SMTP_URL) {
    const url = parseUrl('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']);
    const secure = url.protocol === 'smtps:';
    smtp = {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      user: url.username ? decodeURIComponent(url.username) : null,
      password: url.password ? decodeURIComponent(url.password) : null,
      from: env.MAIL_FROM || 'switchyard@localhost',
    };
  }
  const faxDomain = env.FAX_GATEWAY_DOMAIN?.trim() || null;
  if (faxDomain && !/^[A-Za-z0-9.-]+$/.test(faxDomain))
    throw new Error(`FAX_GATEWAY_DOMAIN must be a domain name, got "${faxDomain}"`);
  return { smpp, smtp, faxDomain };
}
