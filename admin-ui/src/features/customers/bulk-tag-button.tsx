import { useMutation } from '@apollo/client/react';
import { App, Button, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../core/errors/error-result';
import type { FilterOptions } from './customer-filter-bar';
import { TagCustomersDocument } from './customer.generated';

/** Tags the selected customers after a confirmation naming how many customers and tags. */
export function BulkTagButton({
  customerIds,
  tagGroups,
  onDone,
}: {
  customerIds: string[];
  tagGroups: FilterOptions['tagGroups'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [tagCustomers, { loading }] = useMutation(TagCustomersDocument);

  const confirm = () => {
    modal.confirm({
      title: t('customers.bulkTag.confirmTitle'),
      content: t('customers.bulkTag.confirmBody', { customers: customerIds.length, tags: tagIds.length }),
      okText: t('customers.bulkTag.apply'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await tagCustomers({ variables: { input: { customerIds, tagIds } } });
          void message.success(t('customers.bulkTag.done', { customers: customerIds.length }));
          setOpen(false);
          setTagIds([]);
          onDone();
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });
  };

  return (
    <>
      <Button disabled={!customerIds.length} onClick={() => setOpen(true)}>
        {t('customers.bulkTag.button', { count: customerIds.length })}
      </Button>
      <Modal
        open={open}
        title={t('customers.bulkTag.title', { count: customerIds.length })}
        okText={t('customers.bulkTag.next')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !tagIds.length, loading }}
        onOk={confirm}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph>{t('customers.bulkTag.help')}</Typography.Paragraph>
        <Select<string[]>
          mode="multiple"
          aria-label={t('customers.bulkTag.tags')}
          placeholder={t('customers.bulkTag.tags')}
          value={tagIds}
          onChange={setTagIds}
          style={{ width: '100%' }}
          optionFilterProp="label"
          options={tagGroups.map((g) => ({
            label: g.name,
            title: g.name,
            options: g.tags.map((tag) => ({ value: tag.id, label: tag.name })),
          }))}
        />
      </Modal>
    </>
  );
}
