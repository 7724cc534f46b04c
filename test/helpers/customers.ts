import { ok, TestApp } from './test-app';
import { uniq } from './fixtures';

export const RECORD_ADDED = `mutation($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { id status addWay state remark addedAt welcomeMessage customer { id name externalId } employee { id } } }`;
export const RECORD_ENDED = `mutation($input: RecordRelationEndedInput!) { recordRelationEnded(input: $input) { id status endedAt } }`;
export const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name company phone stage externalId tags { id name } relations { id status addWay employee { id } } } }`;

/** Records that a customer added an employee (as a connector with an admin session or key); returns ids. */
export async function addCustomer(
  t: TestApp,
  token: string,
  employeeId: string,
  customer: { name?: string; externalId?: string; phone?: string; company?: string; stage?: string } = {},
  extra: Record<string, unknown> = {},
): Promise<{ relationId: string; customerId: string }> {
  const r = ok(
    await t.gql(
      RECORD_ADDED,
      {
        input: {
          employeeId,
          addWay: 'QR_CODE',
          customer: { name: customer.name ?? uniq('Customer '), ...customer },
          ...extra,
        },
      },
      token,
    ),
  );
  return { relationId: r.recordCustomerAdded.id, customerId: r.recordCustomerAdded.customer.id };
}

export async function createTagGroup(
  t: TestApp,
  token: string,
  name: string,
  tagNames: string[],
): Promise<Record<string, string>> {
  const r = ok(
    await t.gql(
      `mutation($input: CreateTagGroupInput!) { createTagGroup(input: $input) { id tags { id name } } }`,
      { input: { name, tagNames } },
      token,
    ),
  );
  return Object.fromEntries(r.createTagGroup.tags.map((x: { id: string; name: string }) => [x.name, x.id]));
}

/**
 * Rows whose denormalized list keys disagree with their source (migrations
 * customer-list-keys and customer-active-employees): customers.tag_ids vs
 * customer_tags, customers.active_employee_ids vs the ACTIVE relations,
 * customer_relations.customer_created_at vs customers.created_at, and timeline
 * events whose customer is missing. Always 0.
 */
export async function listKeyDrift(
  t: TestApp,
): Promise<{ tagIds: number; activeEmployeeIds: number; customerCreatedAt: number; timelineOrphans: number }> {
  const r = await t.db.query(
    `SELECT (SELECT count(*)::int FROM customers c
              WHERE c.tag_ids IS DISTINCT FROM coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id) FROM customer_tags ct WHERE ct.customer_id = c.id), '{}')) AS "tagIds",
            (SELECT count(*)::int FROM customers c
              WHERE c.active_employee_ids IS DISTINCT FROM coalesce((SELECT array_agg(r.employee_id ORDER BY r.employee_id) FROM customer_relations r
                                                                      WHERE r.customer_id = c.id AND r.status = 'ACTIVE'), '{}')) AS "activeEmployeeIds",
            (SELECT count(*)::int FROM customer_relations r JOIN customers c ON c.id = r.customer_id
              WHERE r.customer_created_at IS DISTINCT FROM c.created_at) AS "customerCreatedAt",
            -- timeline_events has no foreign key (migration 1764115200000): every event's customer exists, in its organization
            (SELECT count(*)::int FROM timeline_events e
              WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = e.customer_id AND c.org_id = e.org_id)) AS "timelineOrphans"`,
  );
  return r.rows[0];
}
