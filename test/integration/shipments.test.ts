/**
 * Shipments for the IVR (IVR-02) on the real database: the repository reads a shipment with its
 * events by waybill number and a customer's latest; the IVR data source turns them into the
 * variables a flow speaks, identifying the caller by any written form of their number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoShipments, DEMO_WAYBILLS } from '../../src/cli/demo-shipments.ts';
import { CustomerService } from '../../src/crm/index.ts';
import { IvrShipments, ShipmentRepository } from '../../src/shipments/index.ts';
import { dbTargets } from '../support/databases.ts';

describe.each(dbTargets())('shipments on $name', (target) => {
  let db: Awaited<ReturnType<typeof target.open>>;
  let repo: ShipmentRepository;
  let lookups: IvrShipments;
  let customerId: string;

  beforeAll(async () => {
    db = await target.open();
    repo = new ShipmentRepository(db.db);
    const customers = new CustomerService(db.db);
    lookups = new IvrShipments(repo, customers);
    customerId = (
      await customers.create({
        name: '华东电子商贸有限公司',
        contacts: [{ name: '王建国', phones: ['138 0000 0001'] }],
      })
    ).id;
    await customers.create({ name: '无运单公司', contacts: [{ name: '赵六', phones: ['13900000009'] }] });
    const now = Date.parse('2026-11-23T06:00:00Z');
    for (const s of demoShipments({ 华东电子商贸有限公司: customerId }, now)) await repo.create(s);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reads a shipment with its events, oldest first, by waybill number', async () => {
    const s = await repo.findByWaybill(DEMO_WAYBILLS.inTransit);
    expect(s).toMatchObject({
      waybill: DEMO_WAYBILLS.inTransit,
      customerId,
      senderCity: '上海',
      receiverCity: '成都',
      status: 'in_transit',
      expectedDelivery: '2026-11-25',
    });
    expect(s!.events.map((e) => e.city)).toEqual(['上海', '上海', '武汉']);
    expect(s!.events[2]!.at.toISOString()).toBe('2026-11-22T22:00:00.000Z');
    expect(await repo.findByWaybill('000000000')).toBeNull();
  });

  it('refuses a second shipment with the same waybill number', async () => {
    await expect(
      repo.create({
        waybill: DEMO_WAYBILLS.delivered,
        senderCity: 'a',
        receiverCity: 'b',
        status: 'picked_up',
      }),
    ).rejects.toThrow();
  });

  it('answers a waybill lookup with the variables a flow speaks', async () => {
    expect(await lookups.lookup('waybill', DEMO_WAYBILLS.inTransit)).toEqual({
      'shipment.waybill': DEMO_WAYBILLS.inTransit,
      'shipment.status': '运输中',
      'shipment.statusEn': 'in transit',
      'shipment.statusCode': 'in_transit',
      'shipment.from': '上海',
      'shipment.to': '成都',
      'shipment.lastCity': '武汉',
      'shipment.lastAt': '2026-11-22T22:00:00.000Z',
      'shipment.expected': '2026-11-25',
      // Not delivered yet: the sentence a flow reads says when it is expected.
      'shipment.delivery': '预计十一月二十五日，星期三送达',
      'shipment.deliveryEn': 'expected on Wednesday, November twenty-fifth',
      'shipment.deliveredAt': '',
    });
    expect(await lookups.lookup('waybill', '987654320')).toBeNull();
    expect(await lookups.lookup('waybill', '')).toBeNull();
  });

  it('identifies the caller by number and answers with their latest shipment', async () => {
    for (const form of ['13800000001', '+8613800000001', '138-0000-0001']) {
      const found = await lookups.lookup('caller_shipments', form);
      expect(found).toMatchObject({
        'caller.name': '华东电子商贸有限公司',
        'caller.contact': '王建国',
        'caller.latestWaybill': DEMO_WAYBILLS.outForDelivery,
        'caller.shipmentCount': '3',
        'shipment.status': '派送中',
        'shipment.lastCity': '杭州',
      });
    }
    // A customer without shipments, and a number nobody has: notFound.
    expect(await lookups.lookup('caller_shipments', '13900000009')).toBeNull();
    expect(await lookups.lookup('caller_shipments', '13700009999')).toBeNull();
  });
});
