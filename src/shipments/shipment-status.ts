/** Shipment status codes (IVR-02) and how the IVR says them in Mandarin and English. */
export const shipmentStatuses = {
  picked_up: { zh: '已揽收', en: 'picked up' },
  in_transit: { zh: '运输中', en: 'in transit' },
  out_for_delivery: { zh: '派送中', en: 'out for delivery' },
  delivered: { zh: '已签收', en: 'delivered' },
  exception: { zh: '异常', en: 'exception' },
} as const;

export type ShipmentStatus = keyof typeof shipmentStatuses;

export function isShipmentStatus(code: string): code is ShipmentStatus {
  return Object.hasOwn(shipmentStatuses, code);
}

/** The spoken label of a status code; an unknown code is said as written. */
export function statusLabel(code: string, lang: 'zh' | 'en'): string {
  return isShipmentStatus(code) ? shipmentStatuses[code][lang] : code;
}
