/**
 * The IVR's data source for shipments (IVR-02): a lookup node's `waybill` source reads one
 * shipment by number, `caller_shipments` identifies the caller by number (CRM phone matching) and
 * reads that customer's latest shipment. Values are what templates speak: status labels in both
 * languages, the last checkpoint's city and time (ISO instant), the expected date, and the
 * delivery sentence: when it was signed for (已签收) for a delivered shipment, when it is expected
 * otherwise — a delivered parcel must not be read as "expected".
 */
import type { CustomerService } from '../crm/index.ts';
import type { IvrDataSource, LookupSource } from '../ivr/index.ts';
import type { ShipmentRepository, ShipmentView } from './shipment.repository.ts';
import { dateTime, date as spokenDate } from '../telephony/speech/spoken.ts';
import { statusLabel } from './shipment-status.ts';

/** When the shipment was signed for: its last `delivered` event, else its last event; null if not delivered. */
export function deliveredAt(s: ShipmentView): Date | null {
  if (s.status !== 'delivered') return null;
  const signed =
    [...s.events].reverse().find((e) => e.status === 'delivered') ?? s.events[s.events.length - 1];
  return signed?.at ?? s.updatedAt;
}

/**
 * The delivery part of a status answer, spoken: 已于…签收 / "delivered on …" for a delivered
 * shipment, 预计…送达 / "expected on …" otherwise, '' when no date is known.
 */
export function deliverySentence(s: ShipmentView, lang: 'zh' | 'en', now = new Date()): string {
  const signed = deliveredAt(s);
  if (signed) {
    const when = dateTime(signed.toISOString(), lang, { now });
    return lang === 'zh' ? `已于${when}签收` : `delivered on ${when}`;
  }
  if (!s.expectedDelivery) return '';
  try {
    const when = spokenDate(s.expectedDelivery, lang, { now });
    return lang === 'zh' ? `预计${when}送达` : `expected on ${when}`;
  } catch {
    return ''; // a stored date the spoken form cannot read: leave the sentence out
  }
}

export function shipmentVariables(s: ShipmentView, now = new Date()): Record<string, string> {
  const last = s.events[s.events.length - 1];
  const signed = deliveredAt(s);
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
    'shipment.deliveredAt': signed ? signed.toISOString() : '',
    'shipment.delivery': deliverySentence(s, 'zh', now),
    'shipment.deliveryEn': deliverySentence(s, 'en', now),
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
