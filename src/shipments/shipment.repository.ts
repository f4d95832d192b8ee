/**
 * Shipments and their tracking events (IVR-02): the minimal data the IVR reads by voice — one
 * shipment by waybill number, or a customer's latest — until a logistics module owns it.
 */
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';
import type { ShipmentStatus } from './shipment-status.ts';

const { shipments, shipmentEvents } = tables;

export interface ShipmentEventView {
  at: Date;
  city: string;
  status: string;
  description: string;
}

export interface ShipmentView {
  id: string;
  waybill: string;
  customerId: string | null;
  senderCity: string;
  receiverCity: string;
  status: string;
  /** The receiver's calendar date, "YYYY-MM-DD"; null when unknown (or delivered long ago). */
  expectedDelivery: string | null;
  updatedAt: Date;
  /** Oldest first. */
  events: ShipmentEventView[];
}

export interface NewShipment {
  waybill: string;
  customerId?: string | null;
  senderCity: string;
  receiverCity: string;
  status: ShipmentStatus;
  expectedDelivery?: string | null;
  events?: { at: Date; city: string; status: ShipmentStatus; description?: string }[];
}

export class ShipmentRepository {
  constructor(private readonly db: Db) {}

  /** Stores a shipment with its events; `updatedAt` is its latest event's time (or now). */
  async create(s: NewShipment): Promise<string> {
    const id = newId('shp');
    const events = s.events ?? [];
    const last = events.reduce<Date | null>((m, e) => (m === null || e.at > m ? e.at : m), null);
    await this.db.transaction(async (tx) => {
      await tx.insert(shipments).values({
        id,
        waybill: s.waybill,
        customerId: s.customerId ?? null,
        senderCity: s.senderCity,
        receiverCity: s.receiverCity,
        status: s.status,
        expectedDelivery: s.expectedDelivery ?? null,
        ...(last ? { updatedAt: last } : {}),
      });
      if (events.length > 0)
        await tx.insert(shipmentEvents).values(
          events.map((e) => ({
            id: newId('shv'),
            shipmentId: id,
            at: e.at,
            city: e.city,
            status: e.status,
            description: e.description ?? '',
          })),
        );
    });
    return id;
  }

  async findByWaybill(waybill: string): Promise<ShipmentView | null> {
    const [row] = await this.db.select().from(shipments).where(eq(shipments.waybill, waybill)).limit(1);
    return row ? this.withEvents(row) : null;
  }

  /** The most recently updated shipment of any of `customerIds`, and how many they have. */
  async latestOf(customerIds: string[]): Promise<{ latest: ShipmentView; count: number } | null> {
    if (customerIds.length === 0) return null;
    const rows = await this.db
      .select()
      .from(shipments)
      .where(inArray(shipments.customerId, customerIds))
      .orderBy(desc(shipments.updatedAt), desc(shipments.id));
    const [first] = rows;
    return first ? { latest: await this.withEvents(first), count: rows.length } : null;
  }

  private async withEvents(row: typeof shipments.$inferSelect): Promise<ShipmentView> {
    const events = await this.db
      .select({
        at: shipmentEvents.at,
        city: shipmentEvents.city,
        status: shipmentEvents.status,
        description: shipmentEvents.description,
      })
      .from(shipmentEvents)
      .where(eq(shipmentEvents.shipmentId, row.id))
      .orderBy(asc(shipmentEvents.at), asc(shipmentEvents.id));
    return {
      id: row.id,
      waybill: row.waybill,
      customerId: row.customerId,
      senderCity: row.senderCity,
      receiverCity: row.receiverCity,
      status: row.status,
      expectedDelivery: row.expectedDelivery,
      updatedAt: row.updatedAt,
      events,
    };
  }
}
