/**
 * Demo road conditions and branches (IVR-02): routes from 上海 to 成都, 北京, 广州 and 武汉, each
 * in a few segments with a mix of statuses, and branches in five cities. Update times are
 * relative to the seeding, so the IVR says "today" whenever the demo is started.
 */
import type {
  BranchInput,
  BranchRepository,
  RoadConditionInput,
  RoadConditionRepository,
} from '../logistics/index.ts';

const minute = 60_000;

type Segment = [segment: string, status: RoadConditionInput['status'], note: string, minutesAgo: number];

const routes: Record<string, Segment[]> = {
  成都: [
    ['上海—武汉', 'normal', '', 40],
    ['武汉—重庆', 'congested', '宜昌段事故处理，预计延误两小时', 25],
    ['重庆—成都', 'normal', '', 40],
  ],
  北京: [
    ['上海—南京', 'slow', '车流量大', 30],
    ['南京—济南', 'normal', '', 50],
    ['济南—北京', 'weather', '大雾，部分收费站限行', 15],
  ],
  广州: [
    ['上海—杭州', 'normal', '', 35],
    ['杭州—广州', 'construction', '韶关段施工，单车道通行', 60],
  ],
  武汉: [
    ['上海—合肥', 'normal', '', 20],
    ['合肥—武汉', 'normal', '', 20],
  ],
};

export function demoRoadConditions(): { input: RoadConditionInput; minutesAgo: number }[] {
  return Object.entries(routes).flatMap(([destination, segments]) =>
    segments.map(([segment, status, note, minutesAgo], position) => ({
      input: { origin: '上海', destination, segment, position, status, note },
      minutesAgo,
    })),
  );
}

export const demoBranches: BranchInput[] = [
  {
    city: '上海',
    name: '上海浦东网点',
    address: '浦东新区张江路88号',
    hours: '周一至周日 8:00-20:00',
    phone: '021-50801234',
  },
  {
    city: '上海',
    name: '上海虹桥网点',
    address: '闵行区申虹路168号',
    hours: '周一至周六 8:30-18:00',
    phone: '021-62905678',
  },
  {
    city: '北京',
    name: '北京朝阳网点',
    address: '朝阳区酒仙桥路10号',
    hours: '周一至周六 8:30-18:00',
    phone: '010-84561234',
  },
  {
    city: '广州',
    name: '广州白云网点',
    address: '白云区机场路1号',
    hours: '周一至周日 8:00-21:00',
    phone: '020-86123456',
  },
  {
    city: '成都',
    name: '成都高新网点',
    address: '高新区天府大道中段500号',
    hours: '周一至周六 9:00-18:00',
    phone: '028-85551234',
  },
  {
    city: '武汉',
    name: '武汉东西湖网点',
    address: '东西湖区金山大道66号',
    hours: '周一至周六 8:30-17:30',
    phone: '027-83456789',
  },
];

export async function seedDemoLogistics(
  roads: Pick<RoadConditionRepository, 'create'>,
  branches: Pick<BranchRepository, 'create'>,
  now = Date.now(),
): Promise<void> {
  for (const { input, minutesAgo } of demoRoadConditions()) {
    await roads.create(input, null, new Date(now - minutesAgo * minute));
  }
  for (const b of demoBranches) await branches.create(b);
}
