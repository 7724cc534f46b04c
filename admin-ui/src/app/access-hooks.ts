import { useAuth } from '../core/auth/auth-context';
import { customersLabelKey, grantOf, mayUse, type Area, type Grant } from './access';

/** The signed-in employee's view of the access rules (their permissions, as the server reported them). */
export const access = {
  useMayUse(area: Area): boolean {
    return mayUse(area, useAuth().permissions);
  },
  useCustomersLabelKey(): string {
    return customersLabelKey(useAuth().permissions);
  },
  /** The employee's grant of `resource:action` (with its data scope), if they hold it. */
  useGrant(key: string): Grant | undefined {
    return grantOf(key, useAuth().permissions);
  },
};
