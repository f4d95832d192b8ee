import { z } from 'zod';

export const contactKinds = ['visit', 'call', 'email', 'meeting', 'other'] as const;
export const contactResults = ['interested', 'follow_up', 'no_need', 'deal', 'other'] as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const createContactRecordInput = z.object({
  customerId: z.string().min(1).max(40),
  contactId: z.string().max(40).nullish(),
  kind: z.enum(contactKinds),
  occurredAt: z.coerce.date(),
  result: z.enum(contactResults),
  summary: z.string().trim().min(1).max(4000),
  nextStep: z.string().trim().max(1000).nullish(),
  nextStepDate: day.nullish(),
  cdrId: z.string().max(60).nullish(),
  outingId: z.string().max(40).nullish(),
});
export type CreateContactRecordInput = z.infer<typeof createContactRecordInput>;

/** The author edits a record only while it awaits review; customer and author never change. */
export const updateContactRecordInput = createContactRecordInput
  .omit({ customerId: true })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });
export type UpdateContactRecordInput = z.infer<typeof updateContactRecordInput>;

export const reviewInput = z.object({ comment: z.string().trim().min(1).max(4000) });

export const contactRecordView = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  contactId: z.string().nullable(),
  kind: z.enum(contactKinds),
  occurredAt: z.string(),
  result: z.enum(contactResults),
  summary: z.string(),
  nextStep: z.string().nullable(),
  nextStepDate: z.string().nullable(),
  authorId: z.string(),
  authorName: z.string(),
  cdrId: z.string().nullable(),
  outingId: z.string().nullable(),
  status: z.enum(['pending', 'reviewed']),
  reviewerId: z.string().nullable(),
  reviewerName: z.string().nullable(),
  reviewComment: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ContactRecordView = z.infer<typeof contactRecordView>;

export const contactRecordQuery = z.object({
  customerId: z.string().max(40).optional(),
  authorId: z.string().max(40).optional(),
  status: z.enum(['pending', 'reviewed']).optional(),
  kind: z.enum(contactKinds).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Only records the caller wrote ("my records"). */
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(['occurredAt', '-occurredAt', 'createdAt', '-createdAt']).default('-occurredAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ContactRecordQuery = z.infer<typeof contactRecordQuery>;
