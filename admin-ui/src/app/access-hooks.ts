import { useAuth } from '../core/auth/auth-context';
import { customersLabelKey, mayUse, type Area } from './access';

/** The signed-in employee's view of the access rules. */
export const access = {
  useMayUse(area: Area): boolean {
    return mayUse(area, useAuth().viewer?.roles);
  },
  useCustomersLabelKey(): string {
    return customersLabelKey(useAuth().viewer?.roles);
  },
};
