export { CustomerService } from './customers/customer.service.ts';
export type { CallerLookup } from './customers/customer.service.ts';
export {
  createCustomerInput,
  customerCard,
  customerQuery,
  customerView,
} from './customers/customer.schemas.ts';
export type {
  CreateCustomerInput,
  CustomerCard,
  CustomerQuery,
  CustomerView,
} from './customers/customer.schemas.ts';
export { maskPhone, normalizePhone } from './phones/phone-number.ts';
export type { NormalizedPhone } from './phones/phone-number.ts';
