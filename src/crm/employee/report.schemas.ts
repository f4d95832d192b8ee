import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const reportKinds = ['plan', 'summary', 'suggestion'] as const;

export const createReportInput = z.object({
  kind: z.enum(reportKinds),
  /** Any day of the week the plan or summary is for; stored as that week's Monday. Default: this week. */
  weekStart: day.optional(),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(10_000),
});
export type CreateReportInput = z.infer<typeof createReportInput>;

export const updateReportInput = createReportInput
  .omit({ kind: true })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });
export type UpdateReportInput = z.infer<typeof updateReportInput>;

export const commentInput = z.object({ body: z.string().trim().min(1).max(4000) });

export const commentView = z.object({
  id: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.string(),
});

export const reportView = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  kind: z.enum(reportKinds),
  weekStart: z.string(),
  title: z.string(),
  body: z.string(),
  comments: z.array(commentView),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReportView = z.infer<typeof reportView>;

export const reportQuery = z.object({
  kind: z.enum(reportKinds).optional(),
  userId: z.string().max(40).optional(),
  weekStart: day.optional(),
  /** Only the caller's own reports. */
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const performanceQuery = z.object({
  from: day,
  to: day,
  userId: z.string().max(40).optional(),
});

export const performanceRow = z.object({
  userId: z.string(),
  userName: z.string(),
  contactRecords: z.number(),
  customersCreated: z.number(),
  opportunitiesCreated: z.number(),
  opportunitiesAdvanced: z.number(),
  opportunitiesWon: z.number(),
  wonAmount: z.number(),
  callsHandled: z.number(),
});
export type PerformanceRow = z.infer<typeof performanceRow>;

/** The Monday (UTC calendar) of the week `day` falls in, YYYY-MM-DD. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
