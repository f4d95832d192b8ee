/**
 * Data scopes (CRM-02): which records of an object a role reaches for each action. Stored per role
 * in `role_data_scopes`; these defaults apply where no row is stored.
 */
export const scopeActions = ['view', 'edit', 'delete', 'export'] as const;
export type ScopeAction = (typeof scopeActions)[number];

export const scopeLevels = ['none', 'own', 'own_and_subordinates', 'department', 'all'] as const;
export type ScopeLevel = (typeof scopeLevels)[number];

export const scopeObjects = ['customer'] as const;
export type ScopeObject = (typeof scopeObjects)[number];

type RoleDefaults = Record<ScopeAction, ScopeLevel>;

const all: RoleDefaults = { view: 'all', edit: 'all', delete: 'all', export: 'all' };

/**
 * Agents look up every customer on the phone (screen pop) and keep contact data current, but delete
 * and export only what they own. Sales roles are scoped to their own book by default.
 */
export const defaultScopes: Record<string, Record<ScopeObject, RoleDefaults>> = {
  admin: { customer: all },
  supervisor: { customer: all },
  agent: { customer: { view: 'all', edit: 'all', delete: 'own', export: 'own' } },
  sales_manager: {
    customer: {
      view: 'own_and_subordinates',
      edit: 'own_and_subordinates',
      delete: 'own_and_subordinates',
      export: 'own_and_subordinates',
    },
  },
  sales: { customer: { view: 'own', edit: 'own', delete: 'own', export: 'own' } },
};

export function defaultScope(role: string, object: ScopeObject, action: ScopeAction): ScopeLevel {
  return defaultScopes[role]?.[object][action] ?? 'none';
}
