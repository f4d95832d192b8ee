import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, List, Popover, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchNotifications, markNotificationRead, notificationsKey } from '../../api/activities-api';

/** The header's notification badge: replies to my contact records, credit decisions. */
export function NotificationBell() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const data = useQuery({ queryKey: notificationsKey, queryFn: fetchNotifications, refetchInterval: 30_000 });
  const read = useMutation({
    mutationFn: markNotificationRead,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
  const content = (
    <List
      size="small"
      style={{ width: 360, maxHeight: 400, overflow: 'auto' }}
      dataSource={data.data?.items ?? []}
      locale={{ emptyText: t('act.noNotifications') }}
      renderItem={(n) => (
        <List.Item
          data-testid="notification-item"
          onClick={() => !n.read && read.mutate(n.id)}
          style={{ cursor: n.read ? 'default' : 'pointer' }}
        >
          <div>
            <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
            {n.body && (
              <div>
                <Typography.Text type="secondary">{n.body}</Typography.Text>
              </div>
            )}
          </div>
        </List.Item>
      )}
    />
  );
  return (
    <Popover content={content} title={t('act.notifications')} trigger="click" placement="bottomRight">
      <Badge count={data.data?.unread ?? 0} size="small" data-testid="notification-badge">
        <Button type="text" icon={<BellOutlined />} aria-label={t('act.notifications')} />
      </Badge>
    </Popover>
  );
}
