export { SipSwitch } from './switch.ts';
export type { SipSwitchOptions } from './switch.ts';
export { DialError } from './call-leg.ts';
export type {
  CallLeg,
  CallSwitch,
  DialOptions,
  LegEndReason,
  PendingDial,
  Recording,
  SwitchDelegate,
} from './call-leg.ts';
