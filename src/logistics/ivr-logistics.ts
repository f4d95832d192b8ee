/**
 * The IVR's data sources for road conditions and branches (IVR-02). The input is a city: its name
 * (set by a menu choice) or its area code (typed by the caller). Values are what a `say` node
 * speaks: whole sentences for every segment or branch in Mandarin and English (a phone number
 * digit by digit), and the latest update time as an ISO instant for `{road.updatedAt|datetime}`.
 */
import type { IvrDataSource, LookupSource } from '../ivr/index.ts';
import { phone } from '../telephony/speech/spoken.ts';
import type { Branch, BranchRepository } from './branches.repository.ts';
import { citiesInEnglish, cityOf } from './city-codes.ts';
import type { RoadCondition, RoadConditionRepository } from './road-conditions.repository.ts';
import { roadStatusLabel, roadStatuses, type RoadStatus } from './road-status.ts';

/** Worse conditions first: the one a caller most needs to hear about. */
const severity: Record<RoadStatus, number> = {
  normal: 0,
  slow: 1,
  construction: 2,
  weather: 3,
  congested: 4,
  closed: 5,
};

function spokenSegment(segment: string, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return segment.replace(/\s*[—–-]+\s*/g, '至');
  return citiesInEnglish(segment.replace(/\s*[—–-]+\s*/g, ' to '));
}

function phoneSpoken(value: string, lang: 'zh' | 'en'): string {
  try {
    return phone(value, lang);
  } catch {
    return [...value.replace(/\D/g, '')].join(' ');
  }
}

export function roadVariables(destination: string, rows: RoadCondition[]): Record<string, string> {
  const worst = rows.reduce<RoadStatus>(
    (w, r) => (severity[r.status] > severity[w] ? r.status : w),
    roadStatuses[0],
  );
  const latest = rows.reduce((t, r) => (r.updatedAt > t ? r.updatedAt : t), rows[0]!.updatedAt);
  const zh = rows
    .map((r) => {
      const note = r.note ? `，${r.note}` : '';
      return `${spokenSegment(r.segment, 'zh')}段${roadStatusLabel(r.status, 'zh')}${note}`;
    })
    .join('；');
  const en = rows
    .map((r) => `${spokenSegment(r.segment, 'en')}: ${roadStatusLabel(r.status, 'en')}`)
    .join('; ');
  return {
    'road.destination': destination,
    'road.summary': `${zh}。`,
    'road.summaryEn': `${en}.`,
    'road.worst': roadStatusLabel(worst, 'zh'),
    'road.worstEn': roadStatusLabel(worst, 'en'),
    'road.segments': String(rows.length),
    'road.updatedAt': latest,
  };
}

export function branchVariables(city: string, rows: Branch[]): Record<string, string> {
  const first = rows[0]!;
  const zh = rows
    .map((b) => `${b.name}，地址${b.address}，营业时间${b.hours}，电话${phoneSpoken(b.phone, 'zh')}`)
    .join('。');
  const en = rows
    .map((b) => `${b.name}, ${b.address}, open ${b.hours}, phone ${phoneSpoken(b.phone, 'en')}`)
    .join('. ');
  return {
    'branch.city': city,
    'branch.count': String(rows.length),
    'branch.summary': `${zh}。`,
    'branch.summaryEn': `${en}.`,
    'branch.name': first.name,
    'branch.address': first.address,
    'branch.hours': first.hours,
    'branch.phone': first.phone,
  };
}

export class IvrLogistics implements IvrDataSource {
  constructor(
    private readonly roads: Pick<RoadConditionRepository, 'toDestination'>,
    private readonly branches: Pick<BranchRepository, 'inCity'>,
  ) {}

  async lookup(source: LookupSource, input: string): Promise<Record<string, string> | null> {
    const city = cityOf(input);
    if (city === '') return null;
    if (source === 'road_conditions') {
      const rows = await this.roads.toDestination(city);
      return rows.length > 0 ? roadVariables(city, rows) : null;
    }
    if (source === 'branches') {
      const rows = await this.branches.inCity(city);
      return rows.length > 0 ? branchVariables(city, rows) : null;
    }
    return null;
  }
}
