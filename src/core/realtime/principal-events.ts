import { Logger } from '@nestjs/common';
import { describeError } from 'src/core/errors/start-error';
import { EventBus } from './event-bus';

/**
 * Raised after a change that may end or narrow callers' access has committed: a suspension, a departure,
 * a new password, new roles, a revoked API key. Every API process re-checks the subscription sockets it
 * concerns at once (the socket closes with 4101 when the session or key no longer holds); without
 * addressees, every socket of the organization is re-checked.
 */
export const PRINCIPAL_CHANGED = 'principalChanged';

export interface PrincipalChangedPayload {
  apiKeyIds?: string[];
}

const logger = new Logger('EventBus');

/**
 * Publishes PRINCIPAL_CHANGED. Never fails the caller (its change has committed): a lost event only delays
 * the re-check to the periodic one (SUBSCRIPTIONS_RECHECK_SECONDS).
 */
export async function publishPrincipalChanged(
  bus: EventBus,
  organizationId: string,
  who: { employeeIds?: string[]; apiKeyIds?: string[] },
): Promise<void> {
  const payload: PrincipalChangedPayload = who.apiKeyIds?.length ? { apiKeyIds: who.apiKeyIds } : {};
  try {
    await bus.publish({
      topic: PRINCIPAL_CHANGED,
      organizationId,
      employeeIds: who.employeeIds,
      payload: { ...payload },
    });
  } catch (e) {
    logger.warn({
      msg: 'could not publish principalChanged; sockets are re-checked periodically',
      orgId: organizationId,
      error: describeError(e),
    });
  }
}
