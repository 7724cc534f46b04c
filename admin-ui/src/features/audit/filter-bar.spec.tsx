import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MockedProvider } from '@apollo/client/testing/react';
import i18n from '../../core/i18n/i18n';
import { AuditEmployeesDocument } from './audit.generated';
import { AuditFilterBar } from './audit-filter-bar';
import './audit-texts';

const employees = {
  request: { query: AuditEmployeesDocument },
  variableMatcher: () => true,
  result: { data: { employees: { edges: [] } } },
  maxUsageCount: 10,
};

// Through the conversations/search bar (the alerts page passes its own controls to the same FilterBar).
function renderBar(days: { fromDay?: string; toDay?: string }, onChange = vi.fn()) {
  const view = render(
    <I18nextProvider i18n={i18n}>
      <ConfigProvider locale={zhCN}>
        <MockedProvider mocks={[employees]}>
          <AuditFilterBar value={{ employeeIds: [], ...days }} onChange={onChange} />
        </MockedProvider>
      </ConfigProvider>
    </I18nextProvider>,
  );
  return { ...view, onChange };
}

describe('the audit pages’ filter bar', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('zh-CN');
  });

  it('picks days with Ant Design’s picker in the UI language, not the browser’s native date input', () => {
    const { container } = renderBar({ fromDay: '2026-03-01', toDay: '2026-03-05' });
    expect(container.querySelector('input[type="date"]')).toBeNull();
    const from = screen.getByPlaceholderText('开始日期');
    const to = screen.getByPlaceholderText('结束日期');
    expect(from).toHaveValue('2026-03-01');
    expect(to).toHaveValue('2026-03-05');
  });

  it('gives the chosen days as YYYY-MM-DD, and leaves an end open', async () => {
    const { onChange } = renderBar({});
    const from = screen.getByPlaceholderText('开始日期');
    fireEvent.mouseDown(from);
    fireEvent.focus(from);
    fireEvent.change(from, { target: { value: '2026-02-20' } });
    fireEvent.keyDown(from, { key: 'Enter', code: 'Enter', keyCode: 13 });
    const to = screen.getByPlaceholderText('结束日期');
    fireEvent.keyDown(to, { key: 'Enter', code: 'Enter', keyCode: 13 });
    fireEvent.blur(to);
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith({ employeeIds: [], fromDay: '2026-02-20', toDay: undefined }),
    );
  });

  it('points out a backwards range instead of hiding it', () => {
    renderBar({ fromDay: '2026-03-02', toDay: '2026-03-01' });
    expect(screen.getByText('开始日期晚于结束日期，请修改其中一个。')).toBeInTheDocument();
  });
});
