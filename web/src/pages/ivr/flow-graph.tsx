import { theme } from 'antd';
import type { FlowDocument, FlowNode } from '../../api/ivr-api';

export interface FlowLink {
  field: string;
  label: string;
  target: string;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The fields of a node that name another node, labelled by DTMF key or branch name. */
export function nodeLinks(node: FlowNode): FlowLink[] {
  const links: FlowLink[] = [];
  const add = (field: string, label: string) => {
    const target = str(node[field]);
    if (target) links.push({ field, label, target });
  };
  if (node.verb === 'menu' && typeof node.choices === 'object' && node.choices !== null) {
    for (const [key, target] of Object.entries(node.choices as Record<string, unknown>)) {
      const to = str(target);
      if (to) links.push({ field: `choices.${key}`, label: key, target: to });
    }
  }
  for (const field of ['next', 'then', 'else', 'open', 'closed', 'found', 'notFound', 'noInput']) {
    add(field, field === 'next' ? '' : field);
  }
  return links;
}

const W = 150;
const H = 46;
const GAP_X = 40;
const GAP_Y = 70;

/** Layers by distance from the start node; nodes it never reaches go in a last layer. */
function layout(flow: FlowDocument): Map<string, { x: number; y: number; layer: number }> {
  const layerOf = new Map<string, number>();
  const queue = flow.nodes[flow.start] ? [flow.start] : [];
  if (queue.length) layerOf.set(flow.start, 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const link of nodeLinks(flow.nodes[id]!)) {
      if (!flow.nodes[link.target] || layerOf.has(link.target)) continue;
      layerOf.set(link.target, layerOf.get(id)! + 1);
      queue.push(link.target);
    }
  }
  const last = Math.max(-1, ...layerOf.values()) + 1;
  for (const id of Object.keys(flow.nodes)) if (!layerOf.has(id)) layerOf.set(id, last);
  const rows = new Map<number, string[]>();
  for (const [id, layer] of layerOf) rows.set(layer, [...(rows.get(layer) ?? []), id]);
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const pos = new Map<string, { x: number; y: number; layer: number }>();
  for (const [layer, ids] of rows) {
    const offset = ((widest - ids.length) * (W + GAP_X)) / 2;
    ids.forEach((id, i) =>
      pos.set(id, { x: 20 + offset + i * (W + GAP_X), y: 20 + layer * (H + GAP_Y), layer }),
    );
  }
  return pos;
}

interface Props {
  flow: FlowDocument;
  selected: string | null;
  /** Nodes with validation errors: drawn in red. */
  errorNodes: ReadonlySet<string>;
  onSelect(id: string): void;
}

/** The flow as boxes (id + verb) in layers from the start node, edges labelled by key or branch. */
export function FlowGraph({ flow, selected, errorNodes, onSelect }: Props) {
  const { token } = theme.useToken();
  const pos = layout(flow);
  const width = Math.max(400, ...[...pos.values()].map((p) => p.x + W + 20));
  const height = Math.max(120, ...[...pos.values()].map((p) => p.y + H + 20));
  const edges: { key: string; d: string; lx: number; ly: number; label: string }[] = [];
  for (const [id, node] of Object.entries(flow.nodes)) {
    const from = pos.get(id)!;
    // Several links to one node (a key and noInput) share one edge with all their labels.
    const grouped = new Map<string, FlowLink[]>();
    for (const link of nodeLinks(node)) grouped.set(link.target, [...(grouped.get(link.target) ?? []), link]);
    for (const links of grouped.values()) {
      const link = {
        ...links[0]!,
        label: links
          .map((l) => l.label)
          .filter(Boolean)
          .join(', '),
      };
      const to = pos.get(link.target);
      if (!to) continue;
      const x1 = from.x + W / 2;
      const y1 = from.y + H;
      const x2 = to.x + W / 2;
      const y2 = to.y;
      let d: string;
      let lx: number;
      let ly: number;
      if (to.layer > from.layer) {
        d = `M${x1},${y1} L${x2},${y2}`;
        lx = (x1 + x2) / 2;
        ly = (y1 + y2) / 2;
      } else {
        // A link back up (a loop): around the right side of both boxes.
        const side = Math.max(from.x, to.x) + W + 16;
        d = `M${from.x + W},${from.y + H / 2} C${side},${from.y + H / 2} ${side},${to.y + H / 2} ${to.x + W},${to.y + H / 2}`;
        lx = side - 4;
        ly = (from.y + to.y + H) / 2;
      }
      edges.push({ key: `${id}-${link.field}`, d, lx, ly, label: link.label });
    }
  }
  return (
    <div style={{ overflow: 'auto', maxHeight: 560 }}>
      <svg width={width} height={height} data-testid="flow-graph" role="img">
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={token.colorTextSecondary} />
          </marker>
        </defs>
        {edges.map((e) => (
          <g key={e.key}>
            <path d={e.d} fill="none" stroke={token.colorTextSecondary} markerEnd="url(#arrow)" />
            {e.label && (
              <text
                x={e.lx + 4}
                y={e.ly}
                fontSize={11}
                fill={token.colorPrimary}
                data-testid={`edge-${e.key}`}
              >
                {e.label}
              </text>
            )}
          </g>
        ))}
        {Object.entries(flow.nodes).map(([id, node]) => {
          const p = pos.get(id)!;
          const bad = errorNodes.has(id);
          return (
            <g
              key={id}
              transform={`translate(${p.x},${p.y})`}
              onClick={() => onSelect(id)}
              style={{ cursor: 'pointer' }}
              data-testid={`graph-node-${id}`}
              data-error={bad ? 'true' : 'false'}
              data-selected={selected === id ? 'true' : 'false'}
            >
              <rect
                width={W}
                height={H}
                rx={6}
                fill={
                  bad ? token.colorErrorBg : selected === id ? token.colorPrimaryBg : token.colorBgContainer
                }
                stroke={bad ? token.colorError : selected === id ? token.colorPrimary : token.colorBorder}
                strokeWidth={bad || selected === id ? 2 : 1}
              />
              <text
                x={W / 2}
                y={19}
                textAnchor="middle"
                fontSize={13}
                fontWeight={600}
                fill={token.colorText}
              >
                {id}
                {id === flow.start ? ' ▶' : ''}
              </text>
              <text x={W / 2} y={36} textAnchor="middle" fontSize={11} fill={token.colorTextSecondary}>
                {node.verb}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
