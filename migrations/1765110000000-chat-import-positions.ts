import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `chat_import_positions`: the WeCom archive importer's position per
 * (organization, source), the highest seq stored and how far into its file
 * the last batch read, written in each batch's transaction (a crash loses and
 * repeats nothing).
 */
export class ChatImportPositions1765110000000 implements MigrationInterface {
  name = 'ChatImportPositions1765110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "chat_import_positions" ("org_id" uuid NOT NULL, "source" character varying(200) NOT NULL, "last_seq" bigint, "file" character varying(1000) NOT NULL, "file_offset" bigint NOT NULL DEFAULT 0, "lines" bigint NOT NULL DEFAULT 0, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_chat_import_positions" PRIMARY KEY ("org_id", "source"))`);
    await q.query(`ALTER TABLE "chat_import_positions" ADD CONSTRAINT "fk_chat_import_positions_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "chat_import_positions"`);
  }
}
