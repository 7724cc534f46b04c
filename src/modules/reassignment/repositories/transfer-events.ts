import { SqlFragment } from 'src/core/database/sql-fragment';
import type { TimelineEventSource } from 'src/modules/customers/services/timeline.service';
import type { TransferKindValue } from 'src/modules/reassignment/entities/handover.entity';

/**
 * The timeline events of transfers, read from the rows a transfers statement
 * has just written (a CTE of that statement, named by the repository that
 * wrote it): reassignment's own SQL over its own rows, in the columns the
 * timeline inserts from (TimelineService.insertFrom).
 */
export class TransferEvents extends SqlFragment<TimelineEventSource> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  /**
   * Requested (WAITING) and failed transfers of a new hand-over, over `rows`
   * (the inserted transfers); completed ones get theirs when settled.
   */
  static requested(rows: string, kind: TransferKindValue): TransferEvents {
    const label = kind === 'DEPARTURE' ? 'Hand-over after departure' : 'Transfer';
    return new TransferEvents(
      `SELECT t.org_id, t.customer_id,
              CASE WHEN t.status = 'WAITING' THEN 'transfer.requested' ELSE 'transfer.failed' END::varchar AS type,
              t.created_at AS occurred_at, t.from_employee_id AS employee_id,
              CASE t.status WHEN 'WAITING' THEN $1::varchar || ' requested'
                            WHEN 'TAKEOVER_LIMIT_EXCEEDED' THEN $1 || ' not possible: no takeover has room'
                            ELSE $1 || ' not possible: transfer limit reached' END::varchar AS summary,
              jsonb_build_object('transferId', t.id, 'handoverId', t.handover_id, 'status', t.status,
                                 'toEmployeeId', t.to_employee_id) AS data
         FROM ${rows} t
        WHERE t.status <> 'COMPLETED'`,
      [label],
    );
  }

  /**
   * Completed transfers as settled, over `rows` (each transfer's columns with
   * `moved`, whether its relation moved, and `takeover_name`).
   */
  static settled(rows: string): TransferEvents {
    return new TransferEvents(
      `SELECT org_id, customer_id,
              CASE WHEN moved THEN 'transfer.completed' ELSE 'transfer.canceled' END::varchar AS type,
              now() AS occurred_at, to_employee_id AS employee_id,
              CASE WHEN moved THEN 'Transferred to ' || takeover_name
                   ELSE 'Transfer canceled: the relation or the takeover is no longer active' END::varchar AS summary,
              jsonb_build_object('transferId', id, 'handoverId', handover_id, 'kind', kind,
                                 'fromEmployeeId', from_employee_id, 'toEmployeeId', to_employee_id) AS data
         FROM ${rows}`,
      [],
    );
  }
}
