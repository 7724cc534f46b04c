import type { DistributionStrategy, TransferKind } from './handovers.generated';

export const STRATEGIES: DistributionStrategy[] = ['SINGLE', 'ROUND_ROBIN', 'LEAST_LOADED'];
export const KINDS: TransferKind[] = ['DEPARTURE', 'ON_JOB'];

/** What the manager has chosen so far in the hand-over wizard. */
export interface HandoverChoice {
  kind: TransferKind;
  fromEmployeeId?: string;
  /** ON_JOB only: the customers to move. */
  customerIds: string[];
  strategy: DistributionStrategy;
  takeoverEmployeeIds: string[];
  message: string;
}

/** A rule broken, as a key of the handovers texts (wizard.*) with its values. */
export interface Problem {
  field: 'fromEmployeeId' | 'customerIds' | 'takeoverEmployeeIds';
  key: string;
  values?: Record<string, string | number>;
}

/**
 * The rules of each step before the next may open (the server checks them
 * again: DOMAIN.md "Reassignment"). Step 0: who hands over (and, on the job,
 * which customers); step 1: the takeovers, never the one handing over.
 */
export function problemsOfStep(step: number, c: HandoverChoice, nameOf: (id: string) => string): Problem[] {
  const problems: Problem[] = [];
  if (step === 0) {
    if (!c.fromEmployeeId) problems.push({ field: 'fromEmployeeId', key: 'wizard.employeeRequired' });
    if (c.kind === 'ON_JOB' && c.customerIds.length === 0) {
      problems.push({ field: 'customerIds', key: 'wizard.customersRequired' });
    }
  }
  if (step === 1) {
    if (c.takeoverEmployeeIds.length === 0) {
      problems.push({ field: 'takeoverEmployeeIds', key: 'wizard.takeoversRequired' });
    } else if (c.fromEmployeeId && c.takeoverEmployeeIds.includes(c.fromEmployeeId)) {
      problems.push({
        field: 'takeoverEmployeeIds',
        key: 'wizard.takeoverIsFrom',
        values: { name: nameOf(c.fromEmployeeId) },
      });
    } else if (c.strategy === 'SINGLE' && c.takeoverEmployeeIds.length > 1) {
      problems.push({ field: 'takeoverEmployeeIds', key: 'wizard.singleNeedsOne' });
    }
  }
  return problems;
}

/** The API input shared by previewHandover, departEmployee and transferCustomers. */
export function takeoverInput(c: HandoverChoice) {
  return { strategy: c.strategy, takeoverEmployeeIds: c.takeoverEmployeeIds };
}

/** A window in minutes in the largest whole unit: 1440 → 1 day, 90 → 90 minutes. */
export function durationParts(minutes: number): { unit: 'days' | 'hours' | 'minutes'; count: number } {
  if (minutes > 0 && minutes % 1440 === 0) return { unit: 'days', count: minutes / 1440 };
  if (minutes > 0 && minutes % 60 === 0) return { unit: 'hours', count: minutes / 60 };
  return { unit: 'minutes', count: minutes };
}
