/**
 * The GraphQL documents the scenarios send. The customers list selects one of
 * each nested type a list screen shows (tags; relations with their employee),
 * so the SQL statements per request are principal + page + one per nested type.
 */
export const CUSTOMERS_LIST = `query CustomersList($filter: CustomerFilter, $first: Int, $after: String) {
  customers(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id name company phone stage lastContactAt createdAt
      tags { id name }
      relations { id status addedAt employee { id name } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Same list without nested types (for the statements-per-type probe). */
export const CUSTOMERS_LIST_FLAT = `query CustomersFlat($filter: CustomerFilter, $first: Int) {
  customers(filter: $filter, first: $first) { edges { cursor node { id name company phone stage lastContactAt createdAt } } pageInfo { hasNextPage endCursor } }
}`;

export const CUSTOMERS_LIST_TAGS = `query CustomersTags($filter: CustomerFilter, $first: Int) {
  customers(filter: $filter, first: $first) { edges { cursor node { id name tags { id name } } } pageInfo { hasNextPage endCursor } }
}`;

export const CUSTOMER_DETAIL = `query CustomerDetail($id: ID!) {
  customer(id: $id) { id name company phone stage lastContactAt createdAt updatedAt
    tags { id name }
    relations { id status addWay state remark addedAt employee { id name } }
    notes(first: 5) { edges { node { id kind body createdAt } } }
    timeline(first: 10) { edges { node { id type occurredAt summary } } pageInfo { hasNextPage endCursor } } }
}`;

export const ME = `query Me { me { id name email status department { id name } } }`;
export const ORGANIZATION = `query Org { organization { id name slug timezone } }`;

export const UPDATE_CUSTOMER = `mutation Update($input: UpdateCustomerInput!) { updateCustomer(input: $input) { id stage updatedAt } }`;
export const ADD_NOTE = `mutation Note($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) { id kind createdAt } }`;
export const TAG = `mutation Tag($input: TagCustomersInput!) { tagCustomers(input: $input) { id tags { id } } }`;
export const UNTAG = `mutation Untag($input: TagCustomersInput!) { untagCustomers(input: $input) { id tags { id } } }`;
export const CREATE_CUSTOMER = `mutation Create($input: CreateCustomerInput!) { createCustomer(input: $input) { id name } }`;
export const RECORD_ADDED = `mutation Added($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { id status customer { id } } }`;
export const RECORD_ENDED = `mutation Ended($input: RecordRelationEndedInput!) { recordRelationEnded(input: $input) { id status } }`;

export const gqlBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
