export { AuditLog } from './audit-log.ts';
export type { AuditActor, AuditEntry, AuditEntryInput, AuditQuery } from './audit-log.ts';
