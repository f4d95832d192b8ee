export { CreditService, creditApprovers } from './credit.service.ts';
export * from './credit.schemas.ts';
