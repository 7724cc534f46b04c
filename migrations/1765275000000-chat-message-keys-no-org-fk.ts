import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `chat_message_keys` loses its foreign key to `organizations` (issue 19, bulk import at 20,000 messages/s). Every
 * claimed key fired PostgreSQL's referential-integrity trigger, one `SELECT ... FOR KEY SHARE` of the organization
 * per row: 217 ms of the 812 ms that claiming 50,000 keys took in the bulk bench (auto_explain), about a quarter of
 * the claim. The keys are the idempotency ledger of `chat_messages`, which has no such key either (partitioned; its
 * rows are written only by the same statements, for the organization of the authenticated caller), and
 * organizations are never deleted by the application, so the cascade it carried never ran.
 */
export class ChatMessageKeysNoOrgFk1765275000000 implements MigrationInterface {
  name = 'ChatMessageKeysNoOrgFk1765275000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "chat_message_keys" DROP CONSTRAINT "fk_chat_message_keys_org_id"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "chat_message_keys" ADD CONSTRAINT "fk_chat_message_keys_org_id" FOREIGN KEY ("org_id")
         REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
