import { z } from 'zod';

export const customerKind = z.enum(['company', 'person']);
export const relationshipType = z.enum(['customer', 'distributor', 'agent', 'partner', 'supplier']);
export const valueTier = z.enum(['key', 'ordinary', 'small']);
export const lifecycleStage = z.enum(['prospect', 'responder', 'customer', 'churned', 'won_back']);

/** 统一社会信用代码: 18 characters of digits and capital letters (without I, O, S, V, Z). */
export const creditCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'not a unified social credit code');

export const contactInput = z.object({
  name: z.string().trim().min(1, 'required').max(100),
  title: z.string().trim().max(100).nullish(),
  phones: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  emails: z.array(z.email().trim().max(200)).max(20).default([]),
});
export type ContactInput = z.input<typeof contactInput>;

const customerFields = {
  name: z.string().trim().min(1, 'required').max(200),
  kind: customerKind,
  tier: valueTier.or(z.string().trim().max(40)).nullish(),
  relationshipType: relationshipType,
  lifecycleStage: lifecycleStage,
  industry: z.string().trim().max(100).nullish(),
  region: z.string().trim().max(100).nullish(),
  creditCode: creditCode.nullish(),
  externalId: z.string().trim().min(1).max(100).nullish(),
  ownerId: z.string().max(40).nullish(),
  customFields: z.record(z.string(), z.unknown()).optional(),
};

export const createCustomerInput = z.object({
  ...customerFields,
  kind: customerKind.default('company'),
  relationshipType: relationshipType.default('customer'),
  lifecycleStage: lifecycleStage.default('customer'),
  contacts: z.array(contactInput).max(100).default([]),
  /** Create even when duplicate candidates exist (the caller has seen them). */
  allowDuplicate: z.boolean().default(false),
});
export type CreateCustomerInput = z.input<typeof createCustomerInput>;

export const updateCustomerInput = z
  .object({ ...customerFields, contacts: z.array(contactInput).max(100) })
  .partial();
export type UpdateCustomerInput = z.infer<typeof updateCustomerInput>;

export const phoneView = z.object({
  e164: z.string(),
  display: z.string(),
  kind: z.string().nullable().optional(),
  extension: z.string().nullable().optional(),
});
export const contactView = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  phones: z.array(phoneView),
  emails: z.array(z.string()).optional(),
});
export const customerView = z.object({
  id: z.string(),
  name: z.string(),
  kind: customerKind,
  tier: z.string().nullable(),
  relationshipType: z.string().optional(),
  lifecycleStage: z.string().optional(),
  industry: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  creditCode: z.string().nullable().optional(),
  externalId: z.string().nullable().optional(),
  ownerId: z.string().nullable().optional(),
  ownerName: z.string().nullable().optional(),
  departmentId: z.string().nullable().optional(),
  customFields: z.record(z.string(), z.unknown()).optional(),
  contacts: z.array(contactView),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
});
export type CustomerView = z.infer<typeof customerView>;

/** What the screen pop shows (CC-12): the customer plus which contact the caller's number belongs to. */
export const customerCard = customerView
  .omit({ createdAt: true })
  .extend({ matchedContactId: z.string().nullable() });
export type CustomerCard = z.infer<typeof customerCard>;

export const customerSortFields = ['createdAt', 'updatedAt', 'name'] as const;

export const customerQuery = z.object({
  phone: z.string().max(40).optional(),
  q: z.string().max(100).optional(),
  email: z.string().max(200).optional(),
  relationshipType: relationshipType.optional(),
  tier: z.string().max(40).optional(),
  lifecycleStage: lifecycleStage.optional(),
  region: z.string().max(100).optional(),
  industry: z.string().max(100).optional(),
  ownerId: z.string().max(40).optional(),
  sort: z.enum(customerSortFields).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CustomerQuery = z.input<typeof customerQuery>;

export const duplicateCandidate = z.object({
  id: z.string(),
  name: z.string(),
  /** Why it matched: name, phone, email, creditCode, externalId. */
  reasons: z.array(z.string()),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidate>;

export const transferInput = z.object({
  customerIds: z.array(z.string().max(40)).min(1).max(10_000).optional(),
  /** Every customer of this owner in the caller's edit scope (e.g. a salesperson leaving). */
  fromOwnerId: z.string().max(40).optional(),
  toOwnerId: z.string().max(40),
});
