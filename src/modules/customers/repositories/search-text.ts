/**
 * The one formula of `customers.search_text`, which the list's search matches
 * with a trigram index: lower-cased name, company and the remarks of the
 * customer's relations, space-separated (NULLs skipped). Never the phone: it
 * is matched apart (CustomersRepository.page), only where the caller may see
 * it, so a masked phone cannot be recovered by searching (migration
 * 1764806400000-phone-search, which keeps its own frozen copy as migrations do).
 *
 * Each argument is an SQL expression; `remarks` is NULL for a customer with
 * no remark yet.
 */
export function searchTextSql(name: string, company: string, remarks: string): string {
  return `lower(concat_ws(' ', ${name}, ${company}, ${remarks}))`;
}

/** The remarks of customer `c`'s relations, as searchTextSql's `remarks`. */
const REMARKS_OF_C = `(SELECT string_agg(r.remark, ' ') FROM customer_relations r
  WHERE r.org_id = c.org_id AND r.customer_id = c.id AND r.remark IS NOT NULL)`;

/** search_text recomputed from customer `c`'s row and its relations (for `UPDATE customers c SET search_text = …`). */
export const SEARCH_TEXT_OF_C = searchTextSql('c.name', 'c.company', REMARKS_OF_C);
