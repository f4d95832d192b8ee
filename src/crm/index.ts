export { CustomerService, DuplicateCustomerError } from './customers/customer.service.ts';
export type { CallerLookup, CustomerPage } from './customers/customer.service.ts';
export {
  contactInput,
  createCustomerInput,
  customerCard,
  customerQuery,
  customerView,
  duplicateCandidate,
  transferInput,
  updateCustomerInput,
} from './customers/customer.schemas.ts';
export type {
  CreateCustomerInput,
  CustomerCard,
  CustomerQuery,
  CustomerView,
  DuplicateCandidate,
  UpdateCustomerInput,
} from './customers/customer.schemas.ts';
export { nameKey } from './customers/duplicates.ts';
export { OrgRepository } from './org/org.repository.ts';
export type { DepartmentRecord } from './org/org.repository.ts';
export { DataScopes, systemActor } from './scopes/data-scopes.ts';
export type { Actor } from './scopes/data-scopes.ts';
export { defaultScopes, scopeActions, scopeLevels, scopeObjects } from './scopes/default-scopes.ts';
export type { ScopeAction, ScopeLevel, ScopeObject } from './scopes/default-scopes.ts';
export { parseContactPhone } from './phones/contact-phone.ts';
export type { ContactPhone, PhoneKind } from './phones/contact-phone.ts';
export { maskPhone, normalizePhone } from './phones/phone-number.ts';
export type { NormalizedPhone } from './phones/phone-number.ts';
