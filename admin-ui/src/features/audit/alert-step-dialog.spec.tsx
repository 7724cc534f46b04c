import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { renderPage } from '../../test/render';
import { AlertStepDialog } from './alerts-page';
import { UpdateAuditAlertDocument, type AuditAlertRowFragment } from './alerts.generated';

// The typenames the cache needs (the generated type leaves nested ones out).
const alert = {
  __typename: 'AuditAlert',
  id: 'a1',
  status: 'OPEN',
  severity: 'HIGH',
  matched: ['私下转账'],
  createdAt: '2026-03-01T08:00:00Z',
  acknowledgedAt: null,
  acknowledgedNote: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedNote: null,
  resolvedBy: null,
  rule: { __typename: 'KeywordRule', id: 'r1', name: 'Off-platform', severity: 'HIGH' },
  message: {
    __typename: 'ChatMessage',
    id: 'm1',
    sentAt: '2026-03-01T08:00:00Z',
    senderType: 'EMPLOYEE',
    conversation: {
      __typename: 'Conversation',
      id: 'c1',
      employee: { __typename: 'Employee', id: 'e1', name: '张伟' },
      customer: { __typename: 'Customer', id: 'k1', name: '郭安琪' },
    },
  },
} as AuditAlertRowFragment;

function updateMock(onCall: (vars: Record<string, unknown>) => void, error?: string) {
  return {
    request: {
      query: UpdateAuditAlertDocument,
      variables: (vars: Record<string, unknown>) => {
        onCall(vars);
        return true;
      },
    },
    ...(error
      ? { result: { errors: [new GraphQLError('conflict', { extensions: { code: error } })] } }
      : { result: { data: { updateAuditAlert: { ...alert, status: 'ACKNOWLEDGED' } } } }),
  };
}

describe('acknowledging and resolving an alert', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('resolves only with a note, then sends it trimmed', async () => {
    const onCall = vi.fn();
    const onClose = vi.fn();
    renderPage(<AlertStepDialog alert={alert} to="RESOLVED" onClose={onClose} onChanged={() => undefined} />, {
      mocks: [updateMock(onCall)],
      path: '/audit/alerts',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Resolve' }));
    expect(await screen.findByText('Write what you found before resolving.')).toBeInTheDocument();
    expect(onCall).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: '  reminded of the policy  ' } });
    await userEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onCall).toHaveBeenCalledWith({ input: { id: 'a1', status: 'RESOLVED', note: 'reminded of the policy' } });
  });

  it('acknowledges without a note', async () => {
    const onCall = vi.fn();
    const onClose = vi.fn();
    renderPage(<AlertStepDialog alert={alert} to="ACKNOWLEDGED" onClose={onClose} onChanged={() => undefined} />, {
      mocks: [updateMock(onCall)],
      path: '/audit/alerts',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onCall).toHaveBeenCalledWith({ input: { id: 'a1', status: 'ACKNOWLEDGED' } });
  });

  it('on CONFLICT (someone else moved it on) closes and reloads the list to show where it is', async () => {
    const onClose = vi.fn();
    const onChanged = vi.fn();
    renderPage(<AlertStepDialog alert={alert} to="ACKNOWLEDGED" onClose={onClose} onChanged={onChanged} />, {
      mocks: [updateMock(() => undefined, 'CONFLICT')],
      path: '/audit/alerts',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onChanged).toHaveBeenCalled();
    expect(
      await screen.findByText('Someone else changed this alert meanwhile: the list shows where it is now.'),
    ).toBeInTheDocument();
  });
});
