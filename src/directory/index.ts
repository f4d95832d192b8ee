export { DirectoryRepository } from './directory.repository.ts';
export type { AgentRecord, Role, SkillGroupRecord, UserRecord } from './directory.repository.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
