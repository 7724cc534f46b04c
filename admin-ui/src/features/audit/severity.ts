import type { Severity } from '../../gql/graphql';

export const SEVERITY_COLOR: Record<Severity, string> = { LOW: 'blue', MEDIUM: 'orange', HIGH: 'red' };
