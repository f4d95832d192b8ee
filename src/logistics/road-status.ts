/**
 * Road condition statuses (IVR-02) and the words the IVR and the staff pages use for them. The
 * list is closed so an imported sheet cannot invent a status the IVR has no words for.
 */
export const roadStatuses = ['normal', 'slow', 'congested', 'closed', 'weather', 'construction'] as const;
export type RoadStatus = (typeof roadStatuses)[number];

const labels: Record<RoadStatus, { zh: string; en: string }> = {
  normal: { zh: '畅通', en: 'clear' },
  slow: { zh: '缓行', en: 'slow' },
  congested: { zh: '拥堵', en: 'congested' },
  closed: { zh: '封闭', en: 'closed' },
  weather: { zh: '受天气影响', en: 'affected by weather' },
  construction: { zh: '道路施工', en: 'under construction' },
};

export function roadStatusLabel(status: string, lang: 'zh' | 'en'): string {
  return (labels as Record<string, { zh: string; en: string }>)[status]?.[lang] ?? status;
}

/** A status as staff write it in a sheet: the code, or its Chinese or English word. */
export function parseRoadStatus(text: string): RoadStatus | null {
  const t = text.trim().toLowerCase();
  for (const s of roadStatuses) {
    if (t === s || t === labels[s].zh || t === labels[s].en) return s;
  }
  return null;
}
