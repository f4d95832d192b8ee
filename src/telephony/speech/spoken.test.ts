import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SPOKEN_KINDS,
  SpokenFormError,
  amount,
  date,
  dateTime,
  digits,
  duration,
  format,
  isSpokenKind,
  number,
  ordinal,
  phone,
  time,
  waybill,
} from './spoken.ts';
import { TextToSpeech } from './tts.ts';

/** 2026-06-01 in Shanghai: dates in 2026 are said without the year. */
const now = new Date('2026-06-01T00:00:00+08:00');

describe('number', () => {
  it.each<[number | string | bigint, string, string]>([
    [0, '零', 'zero'],
    [1, '一', 'one'],
    [2, '二', 'two'],
    [10, '十', 'ten'],
    [12, '十二', 'twelve'],
    [15, '十五', 'fifteen'],
    [20, '二十', 'twenty'],
    [22, '二十二', 'twenty-two'],
    [99, '九十九', 'ninety-nine'],
    [100, '一百', 'one hundred'],
    [101, '一百零一', 'one hundred one'],
    [110, '一百一十', 'one hundred ten'],
    [115, '一百一十五', 'one hundred fifteen'],
    [200, '两百', 'two hundred'],
    [222, '两百二十二', 'two hundred twenty-two'],
    [1000, '一千', 'one thousand'],
    [1005, '一千零五', 'one thousand five'],
    [1010, '一千零一十', 'one thousand ten'],
    [1100, '一千一百', 'one thousand one hundred'],
    [2200, '两千两百', 'two thousand two hundred'],
    [10000, '一万', 'ten thousand'],
    [10010, '一万零一十', 'ten thousand ten'],
    [10100, '一万零一百', 'ten thousand one hundred'],
    [11000, '一万一千', 'eleven thousand'],
    [20000, '两万', 'twenty thousand'],
    [100000, '十万', 'one hundred thousand'],
    [100010, '十万零一十', 'one hundred thousand ten'],
    [120000, '十二万', 'one hundred twenty thousand'],
    [220000, '二十二万', 'two hundred twenty thousand'],
    [1000000, '一百万', 'one million'],
    [2000000, '两百万', 'two million'],
    [10000000, '一千万', 'ten million'],
    [10010000, '一千零一万', 'ten million ten thousand'],
    [100000000, '一亿', 'one hundred million'],
    [100010000, '一亿零一万', 'one hundred million ten thousand'],
    [110000000, '一亿一千万', 'one hundred ten million'],
    [200001000, '两亿零一千', 'two hundred million one thousand'],
    [1000000000000, '一万亿', 'one trillion'],
    [1000100000000, '一万零一亿', 'one trillion one hundred million'],
    [
      12345678,
      '一千两百三十四万五千六百七十八',
      'twelve million three hundred forty-five thousand six hundred seventy-eight',
    ],
    [
      '9999999999999999',
      '九千九百九十九万九千九百九十九亿九千九百九十九万九千九百九十九',
      expect.any(String) as never,
    ],
    [3.05, '三点零五', 'three point zero five'],
    [0.5, '零点五', 'zero point five'],
    [2.5, '二点五', 'two point five'],
    [10.25, '十点二五', 'ten point two five'],
    ['3.50', '三点五', 'three point five'],
    [1e-7, '零点零零零零零零一', 'zero point zero zero zero zero zero zero one'],
    [-7, '负七', 'minus seven'],
    [-15.5, '负十五点五', 'minus fifteen point five'],
    ['-0', '零', 'zero'],
    ['1,234', '一千两百三十四', 'one thousand two hundred thirty-four'],
    ['+8', '八', 'eight'],
    [12345n, '一万两千三百四十五', 'twelve thousand three hundred forty-five'],
  ])('%s → %s / %s', (value, zh, en) => {
    expect(number(value, 'zh')).toBe(zh);
    expect(number(value, 'en')).toEqual(en);
  });

  it('reads 二 everywhere when 两 is turned off', () => {
    expect(number(2222, 'zh', { liang: false })).toBe('二千二百二十二');
    expect(number(20000, 'zh', { liang: false })).toBe('二万');
  });

  it.each<unknown>([
    '',
    ' ',
    'abc',
    '12a',
    '1.2.3',
    '-',
    '.',
    NaN,
    Infinity,
    null,
    undefined,
    {},
    '12345678901234567',
  ])('rejects %j', (value) => {
    expect(() => number(value)).toThrow(SpokenFormError);
    expect(() => number(value, 'en')).toThrow(SpokenFormError);
  });

  it('says why a too long number is refused', () => {
    expect(() => number('12345678901234567')).toThrow(/digit by digit/);
  });

  it('Chinese integers never have two 零 in a row and end in 零 only for zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 16n - 1n }), (n) => {
        const words = number(n, 'zh');
        expect(words).not.toContain('零零');
        if (n !== 0n) expect(words.endsWith('零')).toBe(false);
        expect(words).toMatch(/^[零一二两三四五六七八九十百千万亿]+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('Chinese integers built from few non-zero digits (many zeros) stay well formed', () => {
    const sparse = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 })), {
        minLength: 1,
        maxLength: 4,
        selector: ([place]) => place,
      })
      .map((ds) => ds.reduce((sum, [place, d]) => sum + BigInt(d) * 10n ** BigInt(place), 0n));
    fc.assert(
      fc.property(sparse, (n) => {
        const words = number(n, 'zh');
        expect(words).not.toContain('零零');
        expect(words.endsWith('零')).toBe(false);
        expect(words).not.toMatch(/^零/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('digits, phone and waybill numbers', () => {
  it.each<[string, string, string]>([
    [
      '13800138000',
      '幺三八，零零幺三，八零零零',
      'one three eight, zero zero one three, eight zero zero zero',
    ],
    [
      '+86 138-0013-8000',
      '幺三八，零零幺三，八零零零',
      'one three eight, zero zero one three, eight zero zero zero',
    ],
    [
      '008613912345678',
      '幺三九，幺二三四，五六七八',
      'one three nine, one two three four, five six seven eight',
    ],
    ['400-811-1111', '四零零，八幺幺，幺幺幺幺', 'four zero zero, eight one one, one one one one'],
    ['8008208820', '八零零，八二零，八八二零', 'eight zero zero, eight two zero, eight eight two zero'],
    ['010-12345678', '零幺零，幺二三四，五六七八', 'zero one zero, one two three four, five six seven eight'],
    [
      '(021) 6234 5678',
      '零二幺，六二三四，五六七八',
      'zero two one, six two three four, five six seven eight',
    ],
    [
      '0755-2345678',
      '零七五五，二三四，五六七八',
      'zero seven five five, two three four, five six seven eight',
    ],
    [
      '057187654321',
      '零五七幺，八七六五，四三二幺',
      'zero five seven one, eight seven six five, four three two one',
    ],
    ['95338', '九五三三八', 'nine five three three eight'],
    ['110', '幺幺零', 'one one zero'],
    [
      '+44 20 7946 0958',
      '加四四，二零，七九四六，零九五八',
      'plus four four, two zero, seven nine four six, zero nine five eight',
    ],
    ['123456789', '幺二三四，五六七八九', 'one two three four, five six seven eight nine'],
  ])('phone %s', (value, zh, en) => {
    expect(phone(value, 'zh')).toBe(zh);
    expect(phone(value, 'en')).toBe(en);
  });

  it.each<[string, string, string]>([
    [
      'SF1234567890',
      'S F，幺二三四，五六七八，九零',
      'S F, one two three four, five six seven eight, nine zero',
    ],
    [
      'sf 1234 5678 90',
      'S F，幺二三四，五六七八，九零',
      'S F, one two three four, five six seven eight, nine zero',
    ],
    [
      'YT7101234567890',
      'Y T，七幺零幺，二三四五，六七八九零',
      'Y T, seven one zero one, two three four five, six seven eight nine zero',
    ],
    ['JDVA12345678', 'J D V A，幺二三四，五六七八', 'J D V eh, one two three four, five six seven eight'],
    [
      '773012345678',
      '七七三零，幺二三四，五六七八',
      'seven seven three zero, one two three four, five six seven eight',
    ],
    ['JD0012-1', 'J D，零零幺二幺', 'J D, zero zero one two one'],
  ])('waybill %s', (value, zh, en) => {
    expect(waybill(value, 'zh')).toBe(zh);
    expect(waybill(value, 'en')).toBe(en);
  });

  it.each<[string | number, string, string]>([
    ['0', '零', 'zero'],
    ['2580', '二五八零', 'two five eight zero'],
    ['123456', '幺二三四五六', 'one two three four five six'],
    [8001, '八零零幺', 'eight zero zero one'],
    ['A1B2', 'A 幺 B 二', 'eh one B two'],
    ['12-34 56', '幺二，三四，五六', 'one two, three four, five six'],
    ['00000000000000000000', '零零零零，零零零零，零零零零，零零零零，零零零零', expect.any(String) as never],
  ])('digits %s', (value, zh, en) => {
    expect(digits(value, 'zh')).toBe(zh);
    expect(digits(value, 'en')).toEqual(en);
  });

  it('reads a very long code in groups of four, none longer than five', () => {
    const spoken = digits('1'.repeat(41), 'zh');
    const groups = spoken.split('，');
    expect(groups).toHaveLength(10);
    expect(groups.every((g) => /^幺{4,5}$/.test(g))).toBe(true);
  });

  it.each<unknown>(['', '  ', '12#34', '1.5', '+', null, 1.5, -3])('rejects code %j', (value) => {
    expect(() => digits(value)).toThrow(SpokenFormError);
  });

  it.each<unknown>(['', '138 0013 800x', '+86', '+', {}])('rejects phone %j', (value) => {
    expect(() => phone(value)).toThrow(SpokenFormError);
  });

  it.each<unknown>(['', 'SF-12#3', 'SF.123', undefined])('rejects waybill %j', (value) => {
    expect(() => waybill(value)).toThrow(SpokenFormError);
  });
});

describe('amount', () => {
  it.each<[number | string, string, string]>([
    [123.5, '一百二十三元五角', 'one hundred twenty-three yuan and fifty fen'],
    ['123.52', '一百二十三元五角二分', 'one hundred twenty-three yuan and fifty-two fen'],
    [0.05, '五分', 'five fen'],
    [0.5, '五角', 'fifty fen'],
    [0.25, '两角五分', 'twenty-five fen'],
    ['100.00', '一百元整', 'one hundred yuan'],
    [2, '两元整', 'two yuan'],
    [1, '一元整', 'one yuan'],
    [12, '十二元整', 'twelve yuan'],
    [22, '二十二元整', 'twenty-two yuan'],
    [200, '两百元整', 'two hundred yuan'],
    [100.05, '一百元零五分', 'one hundred yuan and five fen'],
    [1005.5, '一千零五元五角', 'one thousand five yuan and fifty fen'],
    [0, '零元', 'zero yuan'],
    [0.004, '零元', 'zero yuan'],
    [-0.001, '零元', 'zero yuan'],
    [1.999, '两元整', 'two yuan'],
    ['0.125', '一角三分', 'thirteen fen'],
    [-3.2, '负三元二角', 'minus three yuan and twenty fen'],
    [2.02, '两元零二分', 'two yuan and two fen'],
    [0.22, '两角二分', 'twenty-two fen'],
    [0.02, '两分', 'two fen'],
    ['5', '五元整', 'five yuan'],
    [120000, '十二万元整', 'one hundred twenty thousand yuan'],
  ])('CNY %s', (value, zh, en) => {
    expect(amount(value, 'zh')).toBe(zh);
    expect(amount(value, 'en')).toBe(en);
  });

  it('speaks US dollars', () => {
    expect(amount(3.05, 'zh', { currency: 'USD' })).toBe('三美元零五美分');
    expect(amount(1.01, 'en', { currency: 'USD' })).toBe('one dollar and one cent');
    expect(amount(0.99, 'en', { currency: 'USD' })).toBe('ninety-nine cents');
  });

  it('rejects non-amounts and unknown currencies', () => {
    expect(() => amount('¥5')).toThrow(SpokenFormError);
    expect(() => amount('')).toThrow(SpokenFormError);
    expect(() => amount(5, 'zh', { currency: 'EUR' as never })).toThrow(/currency/);
  });
});

describe('date and time', () => {
  // 2026-11-23 is a Monday.
  it.each<[string, string, string]>([
    ['2026-11-23T15:15:00+08:00', '十一月二十三日，星期一', 'Monday, November twenty-third'],
    ['2026-11-22T18:00:00Z', '十一月二十三日，星期一', 'Monday, November twenty-third'],
    ['2026-02-01T10:00:00+08:00', '二月一日，星期日', 'Sunday, February first'],
    ['2026-12-12T10:00:00+08:00', '十二月十二日，星期六', 'Saturday, December twelfth'],
    [
      '2027-01-05T10:00:00+08:00',
      '二零二七年一月五日，星期二',
      'Tuesday, January fifth, twenty twenty-seven',
    ],
    ['2030-10-10T10:00:00+08:00', '二零三零年十月十日，星期四', 'Thursday, October tenth, twenty thirty'],
    [
      '2005-03-31T10:00:00+08:00',
      '二零零五年三月三十一日，星期四',
      'Thursday, March thirty-first, two thousand five',
    ],
  ])('date %s', (value, zh, en) => {
    expect(date(value, 'zh', { now })).toBe(zh);
    expect(date(value, 'en', { now })).toBe(en);
  });

  it.each<[string, string, string]>([
    ['15:15', '下午三点十五分', 'three fifteen p.m.'],
    ['09:00', '上午九点整', 'nine a.m.'],
    ['12:00', '中午十二点', 'twelve noon'],
    ['12:45', '中午十二点四十五分', 'twelve forty-five p.m.'],
    ['20:30', '晚上八点半', 'eight thirty p.m.'],
    ['14:02', '下午两点零二分', 'two oh two p.m.'],
    ['02:00', '凌晨两点整', 'two a.m.'],
    ['00:00', '凌晨零点整', 'twelve midnight'],
    ['00:30', '凌晨零点半', 'twelve thirty a.m.'],
    ['07:10', '早上七点十分', 'seven ten a.m.'],
    ['11:59', '上午十一点五十九分', 'eleven fifty-nine a.m.'],
    ['13:20', '下午一点二十分', 'one twenty p.m.'],
    ['23:05', '晚上十一点零五分', 'eleven oh five p.m.'],
  ])('time %s', (clock, zh, en) => {
    const value = `2026-11-23T${clock}:00+08:00`;
    expect(time(value, 'zh')).toBe(zh);
    expect(time(value, 'en')).toBe(en);
  });

  it('reads the time in the caller time zone', () => {
    const instant = new Date('2026-11-23T07:15:00Z');
    expect(time(instant, 'zh')).toBe('下午三点十五分');
    expect(time(instant, 'en', { timeZone: 'America/New_York' })).toBe('two fifteen a.m.');
    expect(date(instant.getTime(), 'en', { timeZone: 'America/New_York', now })).toBe(
      'Monday, November twenty-third',
    );
    expect(() => time(instant, 'zh', { timeZone: 'Mars/Olympus' })).toThrow(SpokenFormError);
  });

  it('reads date and time together', () => {
    const value = '2026-11-23T15:15:00+08:00';
    expect(dateTime(value, 'zh', { now })).toBe('十一月二十三日，星期一，下午三点十五分');
    expect(dateTime(value, 'en', { now })).toBe('Monday, November twenty-third, at three fifteen p.m.');
  });

  it('reads values without a zone as the caller wall clock', () => {
    expect(time('15:15')).toBe('下午三点十五分');
    expect(time('9:00', 'en')).toBe('nine a.m.');
    expect(time('20:30:59', 'zh', { timeZone: 'America/New_York' })).toBe('晚上八点半');
    // A calendar date stays that date wherever the caller is.
    expect(date('2026-11-23', 'en', { timeZone: 'America/Los_Angeles', now })).toBe(
      'Monday, November twenty-third',
    );
    expect(date('2027-01-05', 'zh', { now })).toBe('二零二七年一月五日，星期二');
    expect(dateTime('2026-11-23 15:15', 'zh', { now })).toBe('十一月二十三日，星期一，下午三点十五分');
    expect(dateTime('2026-11-23T08:05:00', 'en', { timeZone: 'Europe/London', now })).toBe(
      'Monday, November twenty-third, at eight oh five a.m.',
    );
  });

  it.each<[string, (v: string) => string]>([
    ['24:00', (v) => time(v)],
    ['12:60', (v) => time(v)],
    ['2026-02-30', (v) => date(v)],
    ['2026-11-23 25:00', (v) => dateTime(v)],
    ['15:15', (v) => date(v)],
    ['2026-11-23', (v) => time(v)],
    ['2026-11-23', (v) => dateTime(v)],
  ])('rejects wall clock %s where it does not fit', (value, read) => {
    expect(() => read(value)).toThrow(SpokenFormError);
  });

  it.each<unknown>(['', 'tomorrow', '2026-13-45', NaN, null, new Date(Number.NaN)])(
    'rejects date %j',
    (value) => {
      expect(() => date(value)).toThrow(SpokenFormError);
      expect(() => time(value, 'en')).toThrow(SpokenFormError);
    },
  );
});

describe('duration and ordinal', () => {
  it.each<[number | string, string, string]>([
    [0, '零秒', 'zero seconds'],
    [1, '一秒', 'one second'],
    [2, '两秒', 'two seconds'],
    [45, '四十五秒', 'forty-five seconds'],
    [60, '一分钟', 'one minute'],
    [90, '一分钟三十秒', 'one minute thirty seconds'],
    [120, '两分钟', 'two minutes'],
    [720, '十二分钟', 'twelve minutes'],
    [3600, '一小时', 'one hour'],
    [3605, '一小时五秒', 'one hour five seconds'],
    [8100, '两小时十五分钟', 'two hours fifteen minutes'],
    ['90000', '二十五小时', 'twenty-five hours'],
    [59.9, '五十九秒', 'fifty-nine seconds'],
  ])('duration %s', (value, zh, en) => {
    expect(duration(value, 'zh')).toBe(zh);
    expect(duration(value, 'en')).toBe(en);
  });

  it.each<unknown>([-1, '-5', 'abc', ''])('rejects duration %j', (value) => {
    expect(() => duration(value)).toThrow(SpokenFormError);
  });

  it.each<[number | string, string, string]>([
    [1, '第一位', 'first'],
    [2, '第二位', 'second'],
    [3, '第三位', 'third'],
    [4, '第四位', 'fourth'],
    [10, '第十位', 'tenth'],
    [11, '第十一位', 'eleventh'],
    [12, '第十二位', 'twelfth'],
    [13, '第十三位', 'thirteenth'],
    [20, '第二十位', 'twentieth'],
    [21, '第二十一位', 'twenty-first'],
    [22, '第二十二位', 'twenty-second'],
    ['100', '第一百位', 'one hundredth'],
    [101, '第一百零一位', 'one hundred first'],
    [200, '第二百位', 'two hundredth'],
    [1000, '第一千位', 'one thousandth'],
  ])('ordinal %s', (value, zh, en) => {
    expect(ordinal(value, 'zh')).toBe(zh);
    expect(ordinal(value, 'en')).toBe(en);
  });

  it('takes another measure word, or none', () => {
    expect(ordinal(3, 'zh', { unit: '' })).toBe('第三');
    expect(ordinal(3, 'zh', { unit: '个' })).toBe('第三个');
  });

  it.each<unknown>([0, -1, 1.5, 'first', ''])('rejects ordinal %j', (value) => {
    expect(() => ordinal(value)).toThrow(SpokenFormError);
  });
});

describe('format', () => {
  it('dispatches every kind', () => {
    const samples: Record<(typeof SPOKEN_KINDS)[number], [unknown, string]> = {
      number: ['101', '一百零一'],
      digits: ['2580', '二五八零'],
      amount: ['123.50', '一百二十三元五角'],
      date: ['2026-11-23T15:15:00+08:00', '十一月二十三日，星期一'],
      time: ['2026-11-23T15:15:00+08:00', '下午三点十五分'],
      datetime: ['2026-11-23T15:15:00+08:00', '十一月二十三日，星期一，下午三点十五分'],
      duration: ['8100', '两小时十五分钟'],
      ordinal: ['3', '第三位'],
      phone: ['13800138000', '幺三八，零零幺三，八零零零'],
      waybill: ['SF1234567890', 'S F，幺二三四，五六七八，九零'],
    };
    for (const kind of SPOKEN_KINDS) {
      const [value, zh] = samples[kind];
      expect(format(kind, value, 'zh', { now })).toBe(zh);
      expect(format(kind, value, 'en', { now })).toMatch(/^[A-Za-z.,\- ]+$/);
    }
    expect(format('amount', 3.05, 'en', { currency: 'USD' })).toBe('three dollars and five cents');
  });

  it('knows its kinds and refuses others', () => {
    expect(isSpokenKind('waybill')).toBe(true);
    expect(isSpokenKind('money')).toBe(false);
    expect(() => format('money' as never, 1)).toThrow(/unknown spoken form/);
    expect(() => format('number', 1, 'fr' as never)).toThrow(/language/);
  });
});

function hasEspeak(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(hasEspeak())('spoken forms through espeak-ng', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-spoken-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Peak absolute sample of a 16-bit PCM WAV (data after the 44-byte header). */
  function peak(path: string): number {
    const wav = readFileSync(path);
    let max = 0;
    for (let i = 44; i + 1 < wav.length; i += 2) max = Math.max(max, Math.abs(wav.readInt16LE(i)));
    return max;
  }

  it.each<['zh' | 'en', string]>([
    ['zh', `您的运单号是${waybill('SF1234567890', 'zh')}，应付${amount(123.5, 'zh')}。`],
    ['zh', `您前面还有${number(12, 'zh')}位，您是${ordinal(13, 'zh')}，预计等待${duration(8100, 'zh')}。`],
    ['en', `Your parcel arrives ${dateTime('2026-11-23T15:15:00+08:00', 'en', { now })}.`],
  ])('renders [%s] %s as a non-silent 8 kHz WAV', async (lang, text) => {
    const path = await new TextToSpeech(dir).prompt(lang, text);
    const wav = readFileSync(path);
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.length).toBeGreaterThan(16000); // more than a second of speech
    expect(peak(path)).toBeGreaterThan(1000);
  });
});
