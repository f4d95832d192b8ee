export { openDatabase } from './db.ts';
export type { Database, DatabaseOptions, Db } from './db.ts';
export { newId } from './ids.ts';
export * as tables from './schema.ts';
