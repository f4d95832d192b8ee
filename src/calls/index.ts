export { ContactCenter } from './contact-center.ts';
export type { ContactCenterOptions, WaitingCallView } from './contact-center.ts';
export { Blacklist } from './blacklist.ts';
export type { BlacklistEntry, BlacklistInput } from './blacklist.ts';
export { CdrRepository } from './cdr.repository.ts';
export type { CdrRow, Disposition } from './cdr.repository.ts';
export { CallSession } from './call-session.ts';
export { agentStateTotals } from './agent-state-report.ts';
export type { AgentStateTotals } from './agent-state-report.ts';
