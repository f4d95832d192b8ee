import { describe, expect, it } from 'vitest';
import { indexGrams, queryGrams } from './search-grams.ts';

describe('search grams', () => {
  it('cuts Chinese into characters and bigrams, other text into lower-cased words', () => {
    expect(indexGrams('运费标准 Freight')).toEqual(
      expect.arrayContaining(['运', '运费', '费', '费标', '标准', '准', 'freight']),
    );
    expect(indexGrams('ＡＢＣ１２３')).toEqual(['abc123']); // full-width folds to ASCII
  });

  it('queries by bigrams, a single character by itself', () => {
    expect(queryGrams('运费怎么算')).toEqual(['运费', '费怎', '怎么', '么算']);
    expect(queryGrams('费')).toEqual(['费']);
    expect(queryGrams('Freight 运费, COD')).toEqual(['freight', '运费', 'cod']);
    expect(queryGrams('  ,, ')).toEqual([]);
  });
});
