export { ContactRecordService } from './contact-record.service.ts';
export type { UserActor } from './contact-record.service.ts';
export * from './contact-record.schemas.ts';
export { NotificationService, notificationQuery, notificationView } from './notification.service.ts';
export type { NotificationInput, NotificationView } from './notification.service.ts';
export { OutingService } from './outing.service.ts';
export * from './outing.schemas.ts';
