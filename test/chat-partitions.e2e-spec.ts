import { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { APP_ENTITIES } from 'src/app.entities';
import { buildDataSource } from 'src/core/database/data-source';
import { SqlReader } from 'src/core/database/sql-reader';
import { ChatArchiveRepository, partitionName } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { startTestApp, TestApp } from './helpers/test-app';

/**
 * Month partitions are created on demand by whichever ingest, import or retention run first needs them, in any
 * process. Two creators of the same month must not fail: the second waits for the first and then finds the month
 * there. Found by the KPI rebuild test in CI (two batches of a new month at once, "relation chat_messages_p202611
 * already exists"): the second creator's pooled connection had looked the month up before, waited on an advisory
 * lock, and still had its cached "missing" (the last test shows how).
 */
describe('chat archive partitions', () => {
  let t: TestApp;
  let ds: DataSource;
  let repo: ChatArchiveRepository;
  let side: PoolClient;
  const APP = 'partition-race';

  beforeAll(async () => {
    t = await startTestApp();
    // One connection, so that the look-up and the creation below share a backend (and its catalog cache).
    ds = buildDataSource({
      url: t.databaseUrl,
      entities: APP_ENTITIES,
      migrations: [],
      poolSize: 1,
      applicationName: APP,
    });
    await ds.initialize();
    repo = new ChatArchiveRepository(ds, new SqlReader(ds, t.config));
    side = await t.db.connect();
  });
  afterAll(async () => {
    side?.release();
    await ds?.destroy();
    await t?.close();
  });

  const attached = async (month: string) =>
    (
      await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'chat_messages'::regclass AND c.relname = $1`,
        [partitionName(month)],
      )
    ).rows[0].n;

  /** Until this test's connection waits for a lock. */
  const waitingOnLock = async () => {
    for (let waiting = false; !waiting; ) {
      await new Promise((r) => setTimeout(r, 20));
      const rows = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [APP],
      );
      waiting = rows.rows[0].n === 1;
    }
  };

  it('a creator that waited for another creator of the same month finds it there', async () => {
    const month = '2001-03-01';
    // The connection has served a creation before (a fresh backend happened not to keep the answer below).
    await repo.createPartitions(['2001-02-01']);
    expect(await repo.missingPartitions([month])).toEqual([month]);

    // Another process creates the month and has not committed yet (it holds every lock a creator takes).
    await side.query('BEGIN');
    await side.query(`SELECT pg_advisory_xact_lock(hashtext('chat_messages partitions'))`);
    await side.query(`LOCK TABLE chat_messages IN SHARE UPDATE EXCLUSIVE MODE`);
    await side.query(`CREATE TABLE ${partitionName(month)} (LIKE chat_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await side.query(
      `ALTER TABLE chat_messages ATTACH PARTITION ${partitionName(month)}
         FOR VALUES FROM ('2001-03-01 00:00:00+00') TO ('2001-04-01 00:00:00+00')`,
    );

    const creating = repo.createPartitions([month]);
    const outcome = creating.then(
      () => 'created',
      (e: Error) => e.message,
    );
    await waitingOnLock();
    await side.query('COMMIT');

    expect(await outcome).toBe('created');
    expect(await attached(month)).toBe(1);
  });

  it('creates a missing month once, and again is a no-op', async () => {
    const month = '2001-05-01';
    await Promise.all([repo.createPartitions([month]), repo.createPartitions([month])]);
    await repo.createPartitions([month]);
    expect(await attached(month)).toBe(1);
    expect(await repo.missingPartitions([month, '2001-06-01'])).toEqual(['2001-06-01']);
  });

  // Why createPartitions waits on chat_messages' lock: a backend reads the catalog changes committed by others when
  // it takes a table lock, not when it takes an advisory lock. Here the other creator commits a bare CREATE TABLE
  // (the case where nothing else happens to refresh the cache) while this one waits.
  it.each([
    { label: 'an advisory lock', lock: `SELECT pg_advisory_xact_lock(hashtext('chat_messages partitions'))`, sees: false },
    { label: "chat_messages' lock", lock: `LOCK TABLE chat_messages IN SHARE UPDATE EXCLUSIVE MODE`, sees: true },
  ])('a creator that waited on $label sees a month created meanwhile: $sees', async ({ lock, sees }) => {
    const name = partitionName(sees ? '2001-08-01' : '2001-07-01');
    const present = async () =>
      ((await ds.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [name])) as Array<{ present: boolean }>)[0]
        .present;
    expect(await present()).toBe(false);
    await side.query('BEGIN');
    await side.query(`SELECT pg_advisory_xact_lock(hashtext('chat_messages partitions'))`);
    await side.query(`LOCK TABLE chat_messages IN SHARE UPDATE EXCLUSIVE MODE`);
    await side.query(`CREATE TABLE ${name} (LIKE chat_messages)`);
    let seen: boolean | undefined;
    const waiter = ds.transaction(async (tx) => {
      await tx.query(lock);
      seen = ((await tx.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [name])) as Array<{ present: boolean }>)[0]
        .present;
    });
    await waitingOnLock();
    await side.query('COMMIT');
    await waiter;
    expect(seen).toBe(sees);
    await t.db.query(`DROP TABLE ${name}`);
  });
});
