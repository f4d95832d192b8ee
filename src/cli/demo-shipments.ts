/**
 * Demo shipments (IVR-02) for the demo customers: 华东电子商贸 (138 0000 0001) has one delivered,
 * one in transit and one out for delivery — the latest — so its caller hears that one; two more
 * belong to other customers, one without a customer. Times are relative to the seeding, so the
 * demo reads "today" and "tomorrow" whenever it is started.
 */
import type { NewShipment, ShipmentRepository, ShipmentStatus } from '../shipments/index.ts';

/** Waybill numbers the demo and the acceptance tests use. */
export const DEMO_WAYBILLS = {
  delivered: '602318457902',
  inTransit: '730598264',
  outForDelivery: '602318457924',
  exception: '602318457935',
  unassigned: '602318457946',
} as const;

const hour = 3_600_000;

/** "YYYY-MM-DD" in Asia/Shanghai, `days` from `now`. */
function chinaDate(now: number, days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(now + days * 24 * hour),
  );
}

function track(now: number, steps: [hoursAgo: number, city: string, status: ShipmentStatus, text: string][]) {
  return steps.map(([ago, city, status, description]) => ({
    at: new Date(now - ago * hour),
    city,
    status,
    description,
  }));
}

export function demoShipments(customerIds: Record<string, string>, now = Date.now()): NewShipment[] {
  const huadong = customerIds['华东电子商贸有限公司'] ?? null;
  return [
    {
      waybill: DEMO_WAYBILLS.delivered,
      customerId: huadong,
      senderCity: '上海',
      receiverCity: '北京',
      status: 'delivered',
      expectedDelivery: chinaDate(now, -3),
      events: track(now, [
        [100, '上海', 'picked_up', '快件已揽收'],
        [90, '上海', 'in_transit', '离开上海转运中心'],
        [80, '北京', 'out_for_delivery', '派送员正在派送'],
        [76, '北京', 'delivered', '已签收，签收人：前台'],
      ]),
    },
    {
      waybill: DEMO_WAYBILLS.inTransit,
      customerId: huadong,
      senderCity: '上海',
      receiverCity: '成都',
      status: 'in_transit',
      expectedDelivery: chinaDate(now, 2),
      events: track(now, [
        [30, '上海', 'picked_up', '快件已揽收'],
        [26, '上海', 'in_transit', '离开上海转运中心'],
        [8, '武汉', 'in_transit', '到达武汉转运中心'],
      ]),
    },
    {
      waybill: DEMO_WAYBILLS.outForDelivery,
      customerId: huadong,
      senderCity: '上海',
      receiverCity: '杭州',
      status: 'out_for_delivery',
      expectedDelivery: chinaDate(now, 0),
      events: track(now, [
        [20, '上海', 'picked_up', '快件已揽收'],
        [12, '杭州', 'in_transit', '到达杭州转运中心'],
        [2, '杭州', 'out_for_delivery', '派送员正在派送'],
      ]),
    },
    {
      waybill: DEMO_WAYBILLS.exception,
      customerId: customerIds['成都天府食品有限公司'] ?? null,
      senderCity: '成都',
      receiverCity: '广州',
      status: 'exception',
      expectedDelivery: chinaDate(now, 3),
      events: track(now, [
        [40, '成都', 'picked_up', '快件已揽收'],
        [10, '长沙', 'exception', '道路封闭，延误'],
      ]),
    },
    {
      waybill: DEMO_WAYBILLS.unassigned,
      customerId: null,
      senderCity: '深圳',
      receiverCity: '南京',
      status: 'picked_up',
      expectedDelivery: chinaDate(now, 3),
      events: track(now, [[3, '深圳', 'picked_up', '快件已揽收']]),
    },
  ];
}

export async function seedDemoShipments(
  repo: ShipmentRepository,
  customerIds: Record<string, string>,
): Promise<void> {
  for (const s of demoShipments(customerIds)) await repo.create(s);
}
