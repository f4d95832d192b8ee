export { TimelineService } from './timeline.service.ts';
export type { TimelineEntryInput, TimelineWriter } from './timeline.service.ts';
export { ivrSessionEntry } from './ivr-session-entry.ts';
export type { IvrSessionFacts } from './ivr-session-entry.ts';
export { timelineEntryView, timelineKinds, timelinePage, timelineQuery } from './timeline.schemas.ts';
export type { TimelineEntryView, TimelinePage, TimelineQuery } from './timeline.schemas.ts';
