import { Button, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Page-by-page reading of a connection with the API's keyset cursors: "next" follows endCursor, "previous" goes
 * back through the cursors already seen. Any list longer than the server's largest page (200) is read this way.
 */
export function useKeysetPages(pageSize: number) {
  const [cursors, setCursors] = useState<string[]>([]);
  const [after, setAfter] = useState<string | undefined>();
  const reset = useCallback(() => {
    setCursors([]);
    setAfter(undefined);
  }, []);
  return {
    variables: { first: pageSize, after },
    /** 0-based index of the page shown. */
    index: cursors.length,
    pageSize,
    next: (endCursor: string | null | undefined) => {
      if (!endCursor) return;
      setCursors([...cursors, after ?? '']);
      setAfter(endCursor);
    },
    previous: () => {
      setAfter(cursors[cursors.length - 1] || undefined);
      setCursors(cursors.slice(0, -1));
    },
    reset,
  };
}

export type KeysetPages = ReturnType<typeof useKeysetPages>;

/** "Rows 51–100 (more follow)" with Previous / Next under a list read by useKeysetPages. */
export function KeysetPager({
  pages,
  rows,
  hasNextPage,
  endCursor,
  loading,
}: {
  pages: KeysetPages;
  rows: number;
  hasNextPage: boolean | undefined;
  endCursor: string | null | undefined;
  loading?: boolean;
}) {
  const { t } = useTranslation();
  if (pages.index === 0 && !hasNextPage) return null;
  const from = pages.index * pages.pageSize + 1;
  return (
    <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }} wrap>
      <Typography.Text type="secondary" aria-live="polite">
        {rows === 0
          ? null
          : t(hasNextPage ? 'paging.rangeMore' : 'paging.range', { from, to: from + rows - 1 })}
      </Typography.Text>
      <Button disabled={pages.index === 0 || loading} onClick={pages.previous}>
        {t('common.previous')}
      </Button>
      <Button disabled={!hasNextPage || loading} onClick={() => pages.next(endCursor)}>
        {t('common.next')}
      </Button>
    </Space>
  );
}
