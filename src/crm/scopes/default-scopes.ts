/**
 * Data scopes (CRM-02): which records of an object a role reaches for each action. Stored per role
 * in `role_data_scopes`; these defaults apply where no row is stored.
 */
export const scopeActions = ['view', 'edit', 'delete', 'export'] as const;
export type ScopeAction = (typeof scopeActions)[number];

export const scopeLevels = ['none', 'own', 'own_and_subordinates', 'department', 'all'] as const;
export type ScopeLevel = (typeof scopeLevels)[number];

/**
 * `contact_record` and `outing` are scoped by their author; `credit` by the customer's owner, and a
 * role whose `credit` view scope is none sees no credit fields at all (field-level hiding).
 * `opportunity` is scoped by the deal's owner, `employee_report` by its author; `document` by the
 * owner of the customer it belongs to.
 */
export const scopeObjects = [
  'customer',
  'contact_record',
  'outing',
  'credit',
  'opportunity',
  'employee_report',
  'document',
] as const;
export type ScopeObject = (typeof scopeObjects)[number];

type RoleDefaults = Record<ScopeAction, ScopeLevel>;

const all: RoleDefaults = { view: 'all', edit: 'all', delete: 'all', export: 'all' };
const own: RoleDefaults = { view: 'own', edit: 'own', delete: 'own', export: 'own' };
const none: RoleDefaults = { view: 'none', edit: 'none', delete: 'none', export: 'none' };
const subordinates: RoleDefaults = {
  view: 'own_and_subordinates',
  edit: 'own_and_subordinates',
  delete: 'own_and_subordinates',
  export: 'own_and_subordinates',
};

/**
 * Agents look up every customer on the phone (screen pop) and keep contact data current, but delete
 * and export only what they own; they see no credit. Sales roles are scoped to their own book by
 * default, their manager to the whole team's.
 */
export const defaultScopes: Record<string, Record<ScopeObject, RoleDefaults>> = {
  admin: {
    customer: all,
    contact_record: all,
    outing: all,
    credit: all,
    opportunity: all,
    employee_report: all,
    document: all,
  },
  supervisor: {
    customer: all,
    contact_record: all,
    outing: all,
    credit: all,
    opportunity: all,
    employee_report: all,
    document: all,
  },
  agent: {
    customer: { view: 'all', edit: 'all', delete: 'own', export: 'own' },
    contact_record: own,
    outing: own,
    credit: none,
    opportunity: none,
    employee_report: own,
    // Documents follow their customer: the agent reading a customer on the phone reads its documents.
    document: { view: 'all', edit: 'all', delete: 'own', export: 'own' },
  },
  sales_manager: {
    customer: subordinates,
    contact_record: subordinates,
    outing: subordinates,
    credit: subordinates,
    opportunity: subordinates,
    employee_report: subordinates,
    document: subordinates,
  },
  sales: {
    customer: own,
    contact_record: own,
    outing: own,
    credit: own,
    opportunity: own,
    employee_report: own,
    document: own,
  },
};

export function defaultScope(role: string, object: ScopeObject, action: ScopeAction): ScopeLevel {
  return defaultScopes[role]?.[object]?.[action] ?? 'none';
}
