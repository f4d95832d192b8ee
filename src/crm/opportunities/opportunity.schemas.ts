import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** The assessment criteria, each scored 1–5; the total is their sum. */
export const scoreCriteria = ['budget', 'authority', 'need', 'timing'] as const;
export type ScoreCriterion = (typeof scoreCriteria)[number];

export const scoresInput = z
  .object({
    budget: z.number().int().min(1).max(5),
    authority: z.number().int().min(1).max(5),
    need: z.number().int().min(1).max(5),
    timing: z.number().int().min(1).max(5),
  })
  .partial();

/** Opportunity fields a stage may demand before a deal enters it. */
export const criteriaFields = ['amount', 'expectedCloseDate', 'source', 'scores'] as const;
export type CriteriaField = (typeof criteriaFields)[number];

export const outcomes = ['open', 'won', 'lost'] as const;

export const stageView = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  sort: z.number(),
  probability: z.number(),
  requiredFields: z.array(z.enum(criteriaFields)),
  outcome: z.enum(outcomes),
  active: z.boolean(),
});
export type StageView = z.infer<typeof stageView>;

export const stageInput = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/, 'lower-case letters, digits, - and _')
    .optional(),
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(60),
  sort: z.number().int().min(0).max(10000).default(0),
  probability: z.number().int().min(0).max(100),
  requiredFields: z.array(z.enum(criteriaFields)).max(criteriaFields.length).default([]),
  outcome: z.enum(outcomes).default('open'),
  active: z.boolean().default(true),
});
export const stagePatch = stageInput
  .omit({ id: true })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

export const reasonView = z.object({
  id: z.string(),
  outcome: z.enum(['won', 'lost']),
  nameZh: z.string(),
  nameEn: z.string(),
  sort: z.number(),
  active: z.boolean(),
});
export const reasonInput = z.object({
  outcome: z.enum(['won', 'lost']),
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(80),
  sort: z.number().int().min(0).max(10000).default(0),
  active: z.boolean().default(true),
});
export const reasonPatch = reasonInput
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

export const createOpportunityInput = z.object({
  customerId: z.string().min(1).max(40),
  title: z.string().trim().min(1).max(200),
  /** Someone else as owner: admins, supervisors and sales managers only. */
  ownerId: z.string().max(40).optional(),
  stageId: z.string().max(40).optional(),
  amount: z.number().int().min(0).max(2_000_000_000).nullish(),
  expectedCloseDate: day.nullish(),
  probability: z.number().int().min(0).max(100).optional(),
  scores: scoresInput.optional(),
  source: z.string().trim().max(60).nullish(),
});
export type CreateOpportunityInput = z.infer<typeof createOpportunityInput>;

/** Stage and outcome change only through the move route, which checks entry criteria. */
export const updateOpportunityInput = createOpportunityInput
  .omit({ customerId: true, stageId: true })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });
export type UpdateOpportunityInput = z.infer<typeof updateOpportunityInput>;

export const moveInput = z.object({
  stageId: z.string().min(1).max(40),
  /** Required when the target stage is won or lost: one of that outcome's reasons. */
  reasonId: z.string().max(40).optional(),
  reasonNote: z.string().trim().max(1000).optional(),
});
export type MoveInput = z.infer<typeof moveInput>;

export const opportunityView = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  stageId: z.string(),
  amount: z.number().nullable(),
  currency: z.string(),
  expectedCloseDate: z.string().nullable(),
  probability: z.number(),
  scores: z.record(z.string(), z.number()),
  scoreTotal: z.number(),
  source: z.string().nullable(),
  status: z.enum(outcomes),
  reasonId: z.string().nullable(),
  reasonNote: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OpportunityView = z.infer<typeof opportunityView>;

export const historyView = z.object({
  id: z.string(),
  fromStageId: z.string().nullable(),
  toStageId: z.string(),
  movedBy: z.string().nullable(),
  movedByName: z.string().nullable(),
  movedAt: z.string(),
});

export const opportunityQuery = z.object({
  customerId: z.string().max(40).optional(),
  ownerId: z.string().max(40).optional(),
  stageId: z.string().max(40).optional(),
  status: z.enum(outcomes).optional(),
  q: z.string().trim().max(100).optional(),
  closeFrom: day.optional(),
  closeTo: day.optional(),
  sort: z
    .enum(['updatedAt', '-updatedAt', 'amount', '-amount', 'expectedCloseDate', '-expectedCloseDate'])
    .default('-updatedAt'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type OpportunityQuery = z.infer<typeof opportunityQuery>;

export const forecastQuery = z.object({
  groupBy: z.enum(['stage', 'owner']).default('stage'),
  ownerId: z.string().max(40).optional(),
});
export const forecastRow = z.object({
  key: z.string(),
  name: z.string(),
  count: z.number(),
  amount: z.number(),
  /** Σ amount × probability / 100 over the group's open deals. */
  weighted: z.number(),
});
