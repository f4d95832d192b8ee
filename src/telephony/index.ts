export { SipSwitch } from './switch.ts';
export type { RouteMonitorRow, SipSwitchOptions, TrunkMonitorRow } from './switch.ts';
export { ENV_TRUNK_ID, OutboundRouter, applyDialFormat, candidateRoutes } from './outbound-routing.ts';
export type { OutboundRouteConfig, RouteDecision, TrunkConfig, TrunkTransport } from './outbound-routing.ts';
export { TrunkRegistration, TrunkRegistrations } from './trunk-registration.ts';
export type { RegistrationStatus, RegistrationTimers } from './trunk-registration.ts';
export { DialError } from './call-leg.ts';
export type {
  CallLeg,
  CallSwitch,
  DialOptions,
  LegEndReason,
  PendingDial,
  Recording,
  ReplacesTarget,
  SwitchDelegate,
} from './call-leg.ts';
