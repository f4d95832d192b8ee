/**
 * Templated prompt text (issue #5 `say` and `set`): `{name}` is replaced by the variable's value,
 * `{name|digits}` spells it digit by digit (waybill and phone numbers must not be read as one big
 * number), `{name|number}` reads it as a number. A variable nobody set reads as empty text.
 */
import { variablePattern } from './flow-schema.ts';

export const templateFormats = ['text', 'digits', 'number'] as const;
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
    if (!variablePattern.test(p.variable))
      problems.push(`"{${p.variable}}" is not a variable name; use letters, digits or "_".`);
    else if (!(templateFormats as readonly string[]).includes(p.format))
      problems.push(`"${p.format}" is not a format; use one of ${templateFormats.join(', ')}.`);
  }
  return problems;
}

function spellDigits(value: string): string {
  return [...value].filter((c) => c.trim() !== '').join(' ');
}

export function renderTemplate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(placeholder, (_all, name: string, format: string | undefined) => {
    const value = vars[name.trim()] ?? '';
    switch ((format ?? 'text').trim()) {
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
