import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const outingStatuses = ['planned', 'out', 'returned', 'cancelled'] as const;

export const createOutingInput = z.object({
  customerId: z.string().min(1).max(40),
  plannedDate: day,
  purpose: z.string().trim().min(1).max(1000),
});
export type CreateOutingInput = z.infer<typeof createOutingInput>;

export const updateOutingInput = createOutingInput.omit({ customerId: true }).partial();
export type UpdateOutingInput = z.infer<typeof updateOutingInput>;

/** Departure or return: when (default now) and where, as the user describes it. */
export const movementInput = z.object({
  at: z.coerce.date().optional(),
  location: z.string().trim().max(500).optional(),
});
export type MovementInput = z.infer<typeof movementInput>;

export const outingView = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  plannedDate: z.string(),
  purpose: z.string(),
  status: z.enum(outingStatuses),
  departedAt: z.string().nullable(),
  departLocation: z.string().nullable(),
  returnedAt: z.string().nullable(),
  returnLocation: z.string().nullable(),
  /** The contact record written for this outing, if any. */
  contactRecordId: z.string().nullable(),
});
export type OutingView = z.infer<typeof outingView>;

export const outingQuery = z.object({
  /** Any day of the week wanted; the week runs Monday to Sunday. Default: this week. */
  week: day.optional(),
  userId: z.string().max(40).optional(),
  customerId: z.string().max(40).optional(),
  status: z.enum(outingStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type OutingQuery = z.infer<typeof outingQuery>;

/** Monday and Sunday (YYYY-MM-DD) of the week holding `day` (UTC calendar). */
export function weekOf(day: string): { from: string; to: string } {
  const d = new Date(`${day}T00:00:00Z`);
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  return { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
}
