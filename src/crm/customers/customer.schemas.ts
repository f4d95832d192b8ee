import { z } from 'zod';

export const customerKind = z.enum(['company', 'person']);

export const createCustomerInput = z.object({
  name: z.string().trim().min(1, 'required').max(200),
  kind: customerKind.default('company'),
  tier: z.string().trim().max(40).nullish(),
  contacts: z
    .array(
      z.object({
        name: z.string().trim().min(1, 'required').max(100),
        title: z.string().trim().max(100).nullish(),
        phones: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
      }),
    )
    .max(100)
    .default([]),
});
export type CreateCustomerInput = z.input<typeof createCustomerInput>;

export const phoneView = z.object({ e164: z.string(), display: z.string() });
export const contactView = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  phones: z.array(phoneView),
});
export const customerView = z.object({
  id: z.string(),
  name: z.string(),
  kind: customerKind,
  tier: z.string().nullable(),
  contacts: z.array(contactView),
  createdAt: z.string(),
});
export type CustomerView = z.infer<typeof customerView>;

/** What the screen pop shows (CC-12): the customer plus which contact the caller's number belongs to. */
export const customerCard = customerView
  .omit({ createdAt: true })
  .extend({ matchedContactId: z.string().nullable() });
export type CustomerCard = z.infer<typeof customerCard>;

export const customerQuery = z.object({
  phone: z.string().max(40).optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CustomerQuery = z.infer<typeof customerQuery>;
