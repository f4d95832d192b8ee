import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { agentStateReportQueryKey, fetchAgentStateReport } from '../../api/acd-api';
import type { AgentStateName, AgentStateReportRow } from '../../api/types';
import { downloadCsv, toCsv } from '../../lib/csv';
import {
  chinaDayRange,
  chinaToday,
  formatChinaDateTime,
  formatDuration,
  formatPercent,
} from '../../lib/format';
import { compareExtensions } from '../../lib/sort';
import { isReasonCode, reasonCodes } from '../desk/agent-state-view';

/** The states the report shows as columns, in the order an agent's day goes through them. */
const stateColumns = [
  ['ready', 'agentReport.ready'],
  ['not_ready', 'agentReport.notReady'],
  ['reserved', 'agentReport.reserved'],
  ['on_call', 'agentReport.onCall'],
  ['after_call_work', 'agentReport.afterCallWork'],
] as const satisfies readonly (readonly [AgentStateName, string])[];

function seconds(row: AgentStateReportRow, state: AgentStateName): number {
  return row.states[state] ?? 0;
}

/** Reason codes present in the report: known ones in their usual order, then any others by name. */
function reasonsIn(rows: AgentStateReportRow[]): string[] {
  const present = new Set(rows.flatMap((row) => Object.keys(row.notReadyReasons)));
  const known = reasonCodes.filter((code) => present.has(code));
  const other = [...present].filter((code) => !isReasonCode(code)).sort();
  return [...known, ...other];
}

export function AgentReportPage() {
  const { t } = useTranslation();
  const [day, setDay] = useState<string>(() => chinaToday());
  const isToday = day === chinaToday();
  const range = chinaDayRange(day);

  const report = useQuery({
    queryKey: [...agentStateReportQueryKey, day],
    queryFn: ({ signal }) => fetchAgentStateReport(range.from, range.to, signal),
    placeholderData: keepPreviousData,
    // Today's figures grow while agents work; a past day is final.
    refetchInterval: isToday ? 60_000 : false,
  });

  const rows = [...(report.data?.agents ?? [])].sort((a, b) => compareExtensions(a.extension, b.extension));
  const reasons = reasonsIn(rows);
  const reasonLabel = (code: string) => (isReasonCode(code) ? t(`notReadyReasons.${code}`) : code);
  const duration = (value: number) => (
    <span style={{ fontVariantNumeric: 'tabular-nums' }}>
      {value > 0 ? formatDuration(value) : t('common.none')}
    </span>
  );

  const columns: TableColumnsType<AgentStateReportRow> = [
    {
      title: t('agentReport.extension'),
      dataIndex: 'extension',
      width: 80,
      fixed: 'left',
      sorter: (a, b) => compareExtensions(a.extension, b.extension),
    },
    { title: t('agentReport.name'), dataIndex: 'displayName', fixed: 'left' },
    ...stateColumns.map(([state, key]): TableColumnsType<AgentStateReportRow>[number] => ({
      title: t(key),
      key: state,
      align: 'right',
      sorter: (a, b) => seconds(a, state) - seconds(b, state),
      render: (_, row) =>
        state === 'not_ready' && Object.keys(row.notReadyReasons).length > 0 ? (
          <Space orientation="vertical" size={2} align="end" data-testid="report-not-ready">
            {duration(seconds(row, state))}
            <Space size={[4, 4]} wrap style={{ justifyContent: 'flex-end' }}>
              {reasons
                .filter((code) => (row.notReadyReasons[code] ?? 0) > 0)
                .map((code) => (
                  <Tag key={code} style={{ marginInlineEnd: 0 }} data-reason={code}>
                    {reasonLabel(code)} {formatDuration(row.notReadyReasons[code] ?? 0)}
                  </Tag>
                ))}
            </Space>
          </Space>
        ) : (
          duration(seconds(row, state))
        ),
    })),
    {
      title: t('agentReport.loggedIn'),
      dataIndex: 'loggedInSec',
      align: 'right',
      sorter: (a, b) => a.loggedInSec - b.loggedInSec,
      render: (_, row) => <Typography.Text strong>{duration(row.loggedInSec)}</Typography.Text>,
    },
    {
      title: <Tooltip title={t('agentReport.occupancyHint')}>{t('agentReport.occupancy')}</Tooltip>,
      dataIndex: 'occupancy',
      align: 'right',
      width: 100,
      sorter: (a, b) => (a.occupancy ?? -1) - (b.occupancy ?? -1),
      render: (_, row) => formatPercent(row.occupancy) ?? t('common.none'),
    },
  ];

  const exportCsv = () => {
    const unit = t('agentReport.seconds');
    const header = [
      t('agentReport.extension'),
      t('agentReport.name'),
      ...stateColumns.map(([, key]) => `${t(key)} (${unit})`),
      ...reasons.map((code) => `${t('agentReport.notReady')}·${reasonLabel(code)} (${unit})`),
      `${t('agentReport.loggedIn')} (${unit})`,
      `${t('agentReport.occupancy')} (%)`,
    ];
    const body = rows.map((row) => [
      row.extension,
      row.displayName,
      ...stateColumns.map(([state]) => seconds(row, state)),
      ...reasons.map((code) => row.notReadyReasons[code] ?? 0),
      row.loggedInSec,
      row.occupancy === null ? null : Number((row.occupancy * 100).toFixed(1)),
    ]);
    downloadCsv(`${t('agentReport.fileName')}-${day}.csv`, toCsv([header, ...body]));
  };

  const totals = (state: AgentStateName) => rows.reduce((sum, row) => sum + seconds(row, state), 0);

  return (
    <Card
      title={t('agentReport.title')}
      data-testid="agent-report"
      extra={
        <Space wrap>
          <Typography.Text type="secondary">{t('agentReport.day')}</Typography.Text>
          <DatePicker
            allowClear={false}
            value={dayjs(day)}
            format="YYYY-MM-DD"
            disabledDate={(date: Dayjs) => date.format('YYYY-MM-DD') > chinaToday()}
            onChange={(date: Dayjs | null) => {
              if (date) setDay(date.format('YYYY-MM-DD'));
            }}
            aria-label={t('agentReport.day')}
            data-testid="report-day"
          />
          <Button
            icon={<ReloadOutlined />}
            loading={report.isFetching}
            onClick={() => void report.refetch()}
            data-testid="report-refresh"
          >
            {t('common.refresh')}
          </Button>
          <Button
            type="primary"
            icon={<DownloadOutlined />}
            disabled={rows.length === 0}
            onClick={exportCsv}
            data-testid="btn-export-csv"
          >
            {t('agentReport.export')}
          </Button>
        </Space>
      }
    >
      {report.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('common.error', { message: report.error.message })}
        />
      )}
      {report.data && (
        <Typography.Paragraph type="secondary" data-testid="report-period">
          {t('agentReport.period', {
            from: formatChinaDateTime(report.data.from),
            to: formatChinaDateTime(report.data.to),
          })}
        </Typography.Paragraph>
      )}
      <Table<AgentStateReportRow>
        data-testid="agent-report-table"
        rowKey="agentId"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={report.isPending || (report.isFetching && report.isPlaceholderData)}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('agentReport.empty') }}
        onRow={(row): HTMLAttributes<HTMLElement> => {
          const attributes: Record<string, string> = {
            'data-testid': 'agent-report-row',
            'data-extension': row.extension,
          };
          return attributes;
        }}
        summary={() =>
          rows.length === 0 ? null : (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={2}>
                  <Typography.Text strong>{t('agentReport.total')}</Typography.Text>
                </Table.Summary.Cell>
                {stateColumns.map(([state], index) => (
                  <Table.Summary.Cell key={state} index={index + 2} align="right">
                    {duration(totals(state))}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={stateColumns.length + 2} align="right">
                  {duration(rows.reduce((sum, row) => sum + row.loggedInSec, 0))}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={stateColumns.length + 3} align="right">
                  {formatPercent(overallOccupancy(rows)) ?? t('common.none')}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          )
        }
      />
    </Card>
  );
}

/** The same ratio as the server's per-agent occupancy, over everyone's time together. */
function overallOccupancy(rows: AgentStateReportRow[]): number | null {
  let busy = 0;
  let available = 0;
  for (const row of rows) {
    const b = seconds(row, 'reserved') + seconds(row, 'on_call') + seconds(row, 'after_call_work');
    busy += b;
    available += b + seconds(row, 'ready');
  }
  return available > 0 ? busy / available : null;
}
