export { ContactCenter } from './contact-center.ts';
export type { ContactCenterOptions } from './contact-center.ts';
export { CdrRepository } from './cdr.repository.ts';
export type { CdrRow, Disposition } from './cdr.repository.ts';
export { CallSession } from './call-session.ts';
