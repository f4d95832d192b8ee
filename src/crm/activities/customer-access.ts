import { and, eq, isNull } from 'drizzle-orm';
import { invalid } from '../../shared/index.ts';
import { tables, type Db } from '../../store/index.ts';
import type { Actor, DataScopes } from '../scopes/data-scopes.ts';

const { customers } = tables;

/**
 * The customer a new record is about must be one the caller may see; otherwise the field is
 * invalid (400 naming it) without saying whether the customer exists.
 */
export async function requireVisibleCustomer(
  db: Db,
  scopes: DataScopes,
  actor: Actor,
  customerId: string,
  field = 'customerId',
): Promise<{ id: string; name: string; ownerUserId: string | null }> {
  const [row] = await db
    .select({ id: customers.id, name: customers.name, ownerUserId: customers.ownerUserId })
    .from(customers)
    .where(
      and(
        eq(customers.id, customerId),
        isNull(customers.deletedAt),
        await scopes.customerCondition(actor, 'view'),
      ),
    );
  if (!row) throw invalid(field, `no customer ${customerId} in your scope`);
  return row;
}
