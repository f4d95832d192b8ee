/**
 * Templated prompt text (issue #5 `say` and `set`): `{name}` is replaced by the variable's value,
 * `{name|digits}` spells it digit by digit (waybill and phone numbers must not be read as one big
 * number), `{name|number}` reads it as a number. The spoken forms of spoken.ts read a value as the
 * words a caller expects in the node's language: `{shipment.waybill|waybill}`, `{x|date}`,
 * `{x|datetime}`, `{x|time}`, `{x|phone}`, `{x|amount}`, `{x|duration}`, `{x|ordinal}`; a value
 * such a form cannot read is said as written. A variable nobody set reads as empty text; names may
 * be dotted (`shipment.status`, set by a lookup).
 */
import { format as spoken, type SpokenKind } from '../telephony/speech/spoken.ts';
import { readVariablePattern } from './flow-schema.ts';

const spokenFormats = [
  'waybill',
  'date',
  'time',
  'datetime',
  'phone',
  'amount',
  'duration',
  'ordinal',
] as const satisfies readonly SpokenKind[];

export const templateFormats = ['text', 'digits', 'number', ...spokenFormats] as const;
export type TemplateFormat = (typeof templateFormats)[number];

const placeholder = /\{([^{}|]*)(?:\|([^{}]*))?\}/g;

export interface TemplatePart {
  variable: string;
  format: string;
}

/** The placeholders of a template, in order, as written (names and formats unchecked). */
export function templatePlaceholders(text: string): TemplatePart[] {
  return [...text.matchAll(placeholder)].map((m) => ({
    variable: (m[1] ?? '').trim(),
    format: (m[2] ?? 'text').trim(),
  }));
}

/** Problems with a template's placeholders, as sentences (empty when it is fine). */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  for (const p of templatePlaceholders(text)) {
    if (!readVariablePattern.test(p.variable))
      problems.push(`"{${p.variable}}" is not a variable name; use letters, digits, "_" or ".".`);
    else if (!(templateFormats as readonly string[]).includes(p.format))
      problems.push(`"${p.format}" is not a format; use one of ${templateFormats.join(', ')}.`);
  }
  return problems;
}

function spellDigits(value: string): string {
  return [...value].filter((c) => c.trim() !== '').join(' ');
}

function isSpokenFormat(f: string): f is (typeof spokenFormats)[number] {
  return (spokenFormats as readonly string[]).includes(f);
}

/** `lang`: the language spoken forms are read in (the say node's). */
export function renderTemplate(
  text: string,
  vars: Readonly<Record<string, string>>,
  lang: 'zh' | 'en' = 'zh',
): string {
  return text.replace(placeholder, (_all, name: string, format: string | undefined) => {
    const value = vars[name.trim()] ?? '';
    const kind = (format ?? 'text').trim();
    if (isSpokenFormat(kind)) {
      if (value.trim() === '') return '';
      try {
        return spoken(kind, value, lang);
      } catch {
        return value; // e.g. a date the form cannot read: said as written rather than dropped
      }
    }
    switch (kind) {
      case 'digits':
        return spellDigits(value);
      case 'number': {
        const n = Number(value);
        return value.trim() !== '' && Number.isFinite(n) ? String(n) : value;
      }
      default:
        return value;
    }
  });
}
