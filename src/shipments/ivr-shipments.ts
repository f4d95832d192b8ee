/**
 * The IVR's data source for shipments (IVR-02): a lookup node's `waybill` source reads one
 * shipment by number, `caller_shipments` identifies the caller by number (CRM phone matching) and
 * reads that customer's latest shipment. Values are what templates speak: status labels in both
 * languages, the last checkpoint's city and time (ISO instant), the expected date.
 */
import type { CustomerService } from '../crm/index.ts';
import type { IvrDataSource, LookupSource } from '../ivr/index.ts';
import type { ShipmentRepository, ShipmentView } from './shipment.repository.ts';
import { statusLabel } from './shipment-status.ts';

export function shipmentVariables(s: ShipmentView): Record<string, string> {
  const last = s.events[s.events.length - 1];
  return {
    'shipment.waybill': s.waybill,
    'shipment.status': statusLabel(s.status, 'zh'),
    'shipment.statusEn': statusLabel(s.status, 'en'),
    'shipment.statusCode': s.status,
    'shipment.from': s.senderCity,
    'shipment.to': s.receiverCity,
    'shipment.lastCity': last?.city ?? s.senderCity,
    'shipment.lastAt': (last?.at ?? s.updatedAt).toISOString(),
    'shipment.expected': s.expectedDelivery ?? '',
  };
}

export class IvrShipments implements IvrDataSource {
  constructor(
    private readonly shipments: ShipmentRepository,
    private readonly customers: Pick<CustomerService, 'lookupCaller'>,
  ) {}

  async lookup(source: LookupSource, input: string): Promise<Record<string, string> | null> {
    const key = input.trim();
    if (key === '') return null;
    if (source === 'waybill') {
      const found = await this.shipments.findByWaybill(key.toUpperCase());
      return found ? shipmentVariables(found) : null;
    }
    const { matches } = await this.customers.lookupCaller(key);
    if (matches.length === 0) return null;
    const latest = await this.shipments.latestOf(matches.map((m) => m.id));
    if (!latest) return null;
    const customer = matches.find((m) => m.id === latest.latest.customerId) ?? matches[0]!;
    const contact = customer.contacts.find((c) => c.id === customer.matchedContactId);
    return {
      'caller.name': customer.name,
      'caller.contact': contact?.name ?? '',
      'caller.latestWaybill': latest.latest.waybill,
      'caller.shipmentCount': String(latest.count),
      ...shipmentVariables(latest.latest),
    };
  }
}
