export { CustomerImportService } from './import.service.ts';
export type { BatchView, ImportOptions, ImportProgress, ImportResult } from './import.service.ts';
export type { DuplicatePolicy } from './import-plan.ts';
export { importFields } from './headers.ts';
