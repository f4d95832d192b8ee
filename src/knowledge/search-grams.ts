/**
 * Search keys for Chinese and English text (CRM-11). PostgreSQL's default text-search parser
 * treats a run of Chinese characters as one word, and PGlite ships no Chinese segmenter, so the
 * application cuts text itself: Han characters into single characters and overlapping bigrams
 * (the usual n-gram indexing of CJK text), other letters and digits into lower-cased words.
 * Stored as text arrays, the keys match with array overlap on both PGlite and Postgres.
 */
const han = /\p{Script=Han}/u;
const runs = /[\p{Script=Han}]+|[\p{L}\p{N}]+/gu;

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Every key of a stored text: Han unigrams and bigrams, words. */
export function indexGrams(...texts: string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const [run] of normalise(text).matchAll(runs)) {
      if (!han.test(run)) {
        out.add(run);
        continue;
      }
      const chars = [...run];
      chars.forEach((c, i) => {
        out.add(c);
        if (i + 1 < chars.length) out.add(c + chars[i + 1]);
      });
    }
  }
  return [...out];
}

/**
 * The keys of a query: bigrams of each Han run (a single character stands for itself), words.
 * Matching bigrams rather than characters keeps "运费" from finding every text with "费".
 */
export function queryGrams(query: string): string[] {
  const out = new Set<string>();
  for (const [run] of normalise(query).matchAll(runs)) {
    if (!han.test(run)) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) out.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return [...out];
}
