import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactRecordsKey, reviewContactRecord, type ContactRecord } from '../../api/activities-api';
import { apiErrorText } from '../../lib/api-error-text';

/** 批复: the manager's guidance on a subordinate's record. */
export function ReviewModal(props: { record: ContactRecord | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const queryClient = useQueryClient();
  const review = useMutation({
    mutationFn: () => reviewContactRecord(props.record!.id, comment),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: contactRecordsKey });
      setComment('');
      props.onClose();
    },
  });
  return (
    <Modal
      open={props.record !== null}
      title={t('act.reviewTitle')}
      onCancel={props.onClose}
      onOk={() => review.mutate()}
      okButtonProps={{
        disabled: !comment.trim(),
        loading: review.isPending,
        'data-testid': 'btn-submit-review',
      }}
      destroyOnHidden
    >
      {props.record && (
        <Typography.Paragraph>
          <Typography.Text strong>{props.record.customerName}</Typography.Text> · {props.record.authorName}
          <br />
          {props.record.summary}
        </Typography.Paragraph>
      )}
      {review.isError && <Alert type="error" showIcon title={apiErrorText(review.error, t)} />}
      <Input.TextArea
        data-testid="review-comment"
        rows={3}
        placeholder={t('act.reviewComment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
    </Modal>
  );
}
