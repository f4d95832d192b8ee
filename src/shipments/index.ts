export { ShipmentRepository } from './shipment.repository.ts';
export type { NewShipment, ShipmentEventView, ShipmentView } from './shipment.repository.ts';
export { IvrShipments, shipmentVariables } from './ivr-shipments.ts';
export { isShipmentStatus, shipmentStatuses, statusLabel } from './shipment-status.ts';
export type { ShipmentStatus } from './shipment-status.ts';
