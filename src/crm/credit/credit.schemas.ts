import { z } from 'zod';

export const creditRatings = ['A', 'B', 'C', 'D'] as const;

export const creditRequestInput = z.object({
  rating: z.enum(creditRatings),
  /** Credit limit in yuan. */
  limitAmount: z.number().int().min(0).max(2_000_000_000),
  reason: z.string().trim().min(1).max(2000),
});
export type CreditRequestInput = z.infer<typeof creditRequestInput>;

export const creditDecisionInput = z.object({ comment: z.string().trim().max(2000).optional() });

/** A customer's credit; `hidden` (and null fields) for roles whose credit scope does not reach it. */
export const creditView = z.object({
  customerId: z.string(),
  hidden: z.boolean(),
  rating: z.enum(creditRatings).nullable(),
  limitAmount: z.number().nullable(),
  updatedAt: z.string().nullable(),
  pendingRequestId: z.string().nullable(),
});
export type CreditView = z.infer<typeof creditView>;

export const creditRequestView = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  rating: z.enum(creditRatings),
  limitAmount: z.number(),
  previousRating: z.string().nullable(),
  previousLimit: z.number().nullable(),
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  requestedBy: z.string(),
  requestedByName: z.string(),
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decisionComment: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type CreditRequestView = z.infer<typeof creditRequestView>;

export const creditRequestQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  customerId: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CreditRequestQuery = z.infer<typeof creditRequestQuery>;
