export { openDatabase } from './db.ts';
export type { Database, DatabaseOptions, Db } from './db.ts';
export { newId } from './ids.ts';
export * as tables from './schema.ts';
export { readSetting, writeSetting } from './settings.ts';
export type { SettingRow } from './settings.ts';
