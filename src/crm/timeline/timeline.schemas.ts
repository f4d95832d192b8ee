import { z } from 'zod';

export const timelineKinds = [
  'ivr_session',
  'voicemail',
  'message',
  'call',
  'contact_record',
  'credit',
  'document',
  'opportunity',
] as const;

export const timelineEntryView = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: z.enum(timelineKinds),
  refId: z.string().nullable(),
  title: z.string(),
  detail: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});
export type TimelineEntryView = z.infer<typeof timelineEntryView>;

export const timelineQuery = z.object({
  kind: z.enum(timelineKinds).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type TimelineQuery = z.infer<typeof timelineQuery>;

export const timelinePage = z.object({ items: z.array(timelineEntryView), total: z.number() });
export type TimelinePage = z.infer<typeof timelinePage>;
