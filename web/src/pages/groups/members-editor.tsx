import { ClockCircleOutlined, DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  AutoComplete,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Typography,
  type FormInstance,
  type FormListFieldData,
  type TableColumnsType,
} from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentRow } from '../../api/types';
import { compareExtensions } from '../../lib/sort';
import {
  limits,
  timePattern,
  weekdays,
  type GroupFormValues,
  type MemberValues,
  type ScheduleValues,
} from './skill-group-form-values';

/** Suggestions every half hour; any HH:MM may be typed. 24-hour, whatever the browser's locale. */
const timeSuggestions = [
  ...Array.from(
    { length: 48 },
    (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
  ),
  '23:59',
].map((value) => ({ value }));

interface TimeInputProps {
  value?: string;
  onChange?: (value: string) => void;
  label: string;
  testId: string;
}

function TimeInput({ value, onChange, label, testId }: TimeInputProps) {
  return (
    <AutoComplete
      value={value}
      onChange={(next: string) => onChange?.(next)}
      options={timeSuggestions}
      showSearch={{ filterOption: (input, option) => String(option?.value ?? '').startsWith(input.trim()) }}
      style={{ width: 88 }}
    >
      <Input placeholder="HH:MM" maxLength={5} inputMode="numeric" aria-label={label} data-testid={testId} />
    </AutoComplete>
  );
}

interface ScheduleEditorProps {
  memberField: number;
}

/** Weekday checkboxes and a from/to time per window; no windows means "always a member". */
function ScheduleEditor({ memberField }: ScheduleEditorProps) {
  const { t } = useTranslation();
  const dayOptions = weekdays.map(([value, key]) => ({ value, label: t(`weekdays.${key}`) }));
  return (
    <Form.List name={[memberField, 'schedule']}>
      {(windows, { add, remove }) => (
        <div data-testid="member-schedule">
          {windows.length === 0 && (
            <Typography.Text type="secondary" style={{ marginRight: 8 }}>
              {t('groupForm.alwaysMember')}
            </Typography.Text>
          )}
          {windows.map((window) => (
            <Space
              key={window.key}
              size={4}
              align="start"
              wrap
              data-testid="schedule-window"
              style={{ display: 'flex', marginBottom: 4 }}
            >
              <Form.Item
                name={[window.name, 'days']}
                rules={[{ required: true, type: 'array', min: 1, message: t('groupForm.daysRequired') }]}
                style={{ marginBottom: 0 }}
              >
                <Checkbox.Group options={dayOptions} data-testid="schedule-days" />
              </Form.Item>
              <Form.Item
                name={[window.name, 'from']}
                rules={[
                  { required: true, message: t('groupForm.timeRequired') },
                  { pattern: timePattern, message: t('groupForm.timeFormat') },
                ]}
                style={{ marginBottom: 0 }}
              >
                <TimeInput label={t('groupForm.from')} testId="schedule-from" />
              </Form.Item>
              <span style={{ lineHeight: '32px' }}>–</span>
              <Form.Item
                name={[window.name, 'to']}
                dependencies={[['members', memberField, 'schedule', window.name, 'from']]}
                rules={[
                  { required: true, message: t('groupForm.timeRequired') },
                  { pattern: timePattern, message: t('groupForm.timeFormat') },
                  ({ getFieldValue }) => ({
                    validator: async (_, value: unknown) => {
                      const from: unknown = getFieldValue([
                        'members',
                        memberField,
                        'schedule',
                        window.name,
                        'from',
                      ]);
                      if (typeof value === 'string' && typeof from === 'string' && from && value <= from) {
                        throw new Error(t('groupForm.toAfterFrom'));
                      }
                    },
                  }),
                ]}
                style={{ marginBottom: 0 }}
              >
                <TimeInput label={t('groupForm.to')} testId="schedule-to" />
              </Form.Item>
              <Button
                type="text"
                icon={<MinusCircleOutlined />}
                aria-label={t('groupForm.removeWindow')}
                title={t('groupForm.removeWindow')}
                onClick={() => remove(window.name)}
              />
            </Space>
          ))}
          {windows.length < limits.scheduleWindows && (
            <Button
              type="link"
              size="small"
              icon={<ClockCircleOutlined />}
              style={{ paddingInline: 0 }}
              data-testid="btn-add-window"
              onClick={() =>
                add({ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } satisfies ScheduleValues)
              }
            >
              {windows.length === 0 ? t('groupForm.addSchedule') : t('groupForm.addWindow')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

interface MembersEditorProps {
  form: FormInstance<GroupFormValues>;
  agents: AgentRow[];
  agentsLoading: boolean;
  agentsError: string | null;
}

export function MembersEditor({ form, agents, agentsLoading, agentsError }: MembersEditorProps) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  // `preserve`: the agent ids have no input of their own, and a plain watch sees only inputs.
  const members = Form.useWatch('members', { form, preserve: true }) ?? [];
  const memberIds = new Set(members.map((member) => member.agentId));
  const candidates = agents
    .filter((agent) => !memberIds.has(agent.agentId))
    .sort((a, b) => compareExtensions(a.extension, b.extension));

  return (
    <Form.List name="members">
      {(fields, { add, remove }) => {
        const memberAt = (field: FormListFieldData): MemberValues | undefined =>
          form.getFieldValue(['members', field.name]) as MemberValues | undefined;
        const columns: TableColumnsType<FormListFieldData> = [
          {
            title: t('groupForm.memberExtension'),
            key: 'extension',
            width: 90,
            render: (_, field) => <Typography.Text strong>{memberAt(field)?.extension}</Typography.Text>,
          },
          {
            title: t('groupForm.memberName'),
            key: 'name',
            width: 120,
            render: (_, field) => memberAt(field)?.displayName,
          },
          {
            title: t('groupForm.level'),
            key: 'level',
            width: 120,
            render: (_, field) => (
              <Form.Item
                name={[field.name, 'level']}
                rules={[{ required: true, message: t('groupForm.levelRequired') }]}
                style={{ marginBottom: 0 }}
              >
                <InputNumber
                  min={limits.level.min}
                  max={limits.level.max}
                  precision={0}
                  style={{ width: 72 }}
                  aria-label={t('groupForm.level')}
                  data-testid="member-level"
                />
              </Form.Item>
            ),
          },
          {
            title: t('groupForm.schedule'),
            key: 'schedule',
            render: (_, field) => <ScheduleEditor memberField={field.name} />,
          },
          {
            key: 'remove',
            width: 48,
            render: (_, field) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('groupForm.removeMember')}
                title={t('groupForm.removeMember')}
                data-testid="btn-remove-member"
                onClick={() => remove(field.name)}
              />
            ),
          },
        ];

        const addAgent = (agentId: string) => {
          const agent = agents.find((candidate) => candidate.agentId === agentId);
          if (!agent || memberIds.has(agentId)) return;
          const member: MemberValues = {
            agentId: agent.agentId,
            extension: agent.extension,
            displayName: agent.displayName,
            level: 1,
            schedule: [],
          };
          add(member);
        };

        return (
          <div data-testid="group-form-members">
            <Space style={{ marginBottom: 8 }} wrap>
              <Button
                icon={<PlusOutlined />}
                data-testid="btn-add-member"
                onClick={() => setPicking((open) => !open)}
                type={picking ? 'primary' : 'default'}
                ghost={picking}
              >
                {t('groupForm.addMember')}
              </Button>
              {picking && (
                <Select<string>
                  data-testid="member-picker"
                  showSearch={{ optionFilterProp: 'search' }}
                  autoFocus
                  value={null}
                  style={{ width: 300 }}
                  placeholder={t('groupForm.pickAgent')}
                  loading={agentsLoading}
                  virtual={false}
                  notFoundContent={agentsError ?? t('groupForm.noMoreAgents')}
                  onChange={(agentId) => addAgent(agentId)}
                  options={candidates.map((agent) => ({
                    value: agent.agentId,
                    label: `${agent.extension} ${agent.displayName}`,
                    search: `${agent.extension} ${agent.displayName}`,
                    'data-testid': `member-option-${agent.extension}`,
                  }))}
                />
              )}
              <Typography.Text type="secondary">{t('groupForm.levelHint')}</Typography.Text>
            </Space>
            <Table<FormListFieldData>
              size="small"
              rowKey="key"
              columns={columns}
              dataSource={fields}
              pagination={false}
              locale={{ emptyText: t('groupForm.noMembers') }}
              onRow={(field): HTMLAttributes<HTMLElement> => {
                const attributes: Record<string, string> = {
                  'data-testid': 'member-row',
                  'data-extension': memberAt(field)?.extension ?? '',
                };
                return attributes;
              }}
            />
          </div>
        );
      }}
    </Form.List>
  );
}
