import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../ivr/flow-template.ts';
import { demoHotlineFlow } from '../ivr/demo-flow.ts';
import { deliverySentence, shipmentVariables } from './ivr-shipments.ts';
import type { ShipmentView } from './shipment.repository.ts';

const now = new Date('2026-11-23T10:00:00+08:00');

function shipment(status: string, expectedDelivery: string | null): ShipmentView {
  return {
    id: 'shp_1',
    waybill: '602318457902',
    customerId: null,
    senderCity: '上海',
    receiverCity: '北京',
    status,
    expectedDelivery,
    updatedAt: new Date('2026-11-20T16:00:00+08:00'),
    events: [
      { at: new Date('2026-11-19T09:00:00+08:00'), city: '上海', status: 'picked_up', description: '' },
      { at: new Date('2026-11-20T15:10:00+08:00'), city: '北京', status: 'delivered', description: '已签收' },
      ...(status === 'delivered'
        ? []
        : [{ at: new Date('2026-11-21T08:00:00+08:00'), city: '北京', status, description: '' }]),
    ],
  };
}

describe('the delivery sentence of a status answer', () => {
  it('reads a delivered shipment by when it was signed for, never as expected', () => {
    const delivered = shipment('delivered', '2026-11-20');
    expect(deliverySentence(delivered, 'zh', now)).toBe('已于十一月二十日，星期五，下午三点十分签收');
    expect(deliverySentence(delivered, 'en', now)).toBe(
      'delivered on Friday, November twentieth, at three ten p.m.',
    );
    const vars = shipmentVariables(delivered, now);
    expect(vars['shipment.deliveredAt']).toBe('2026-11-20T07:10:00.000Z');
    expect(vars['shipment.delivery']).not.toMatch(/预计|送达/);
  });

  it('reads a shipment on its way by its expected date', () => {
    const moving = shipment('in_transit', '2026-11-25');
    expect(deliverySentence(moving, 'zh', now)).toBe('预计十一月二十五日，星期三送达');
    expect(deliverySentence(moving, 'en', now)).toBe('expected on Wednesday, November twenty-fifth');
    expect(shipmentVariables(moving, now)['shipment.deliveredAt']).toBe('');
    expect(deliverySentence(shipment('in_transit', null), 'zh', now)).toBe('');
  });

  it('makes the demo hotline say 已签收 with the time for a delivered waybill', () => {
    const status = demoHotlineFlow.nodes.status;
    if (status?.verb !== 'say') throw new Error('demo flow changed');
    const text = renderTemplate(status.text, shipmentVariables(shipment('delivered', '2026-11-20'), now));
    expect(text).toContain('当前状态 已签收');
    expect(text).toContain('已于十一月二十日，星期五，下午三点十分签收');
    expect(text).not.toContain('预计');
  });
});
