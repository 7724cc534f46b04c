import { Injectable, Logger } from '@nestjs/common';
import { KeywordRulesRepository } from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { ChatMatcher, SemanticName } from './chat-matcher';

/** An organization's enabled rules compiled at one version. */
export interface CompiledRules {
  version: string;
  matcher: ChatMatcher;
  /** Rule id -> its departments (empty: the whole organization), checked in SQL where employees are known. */
  departments: ReadonlyMap<string, readonly string[]>;
}

/** Organizations whose automaton a process keeps (least recently used dropped first). */
const MAX_ORGANIZATIONS = 1000;

const EMPTY: CompiledRules = { version: '0', matcher: new ChatMatcher([]), departments: new Map() };

/**
 * Each organization's automaton, compiled once per rule change in each process
 * (API or worker). `forOrg` reads the organization's rules version (one
 * primary-key read, once per ingest batch) and rebuilds only when it moved, so
 * a rule change committed anywhere is seen by every process before its next
 * batch; concurrent batches wait for one build.
 */
@Injectable()
export class ChatRulesCache {
  private readonly logger = new Logger('ChatRules');
  private readonly compiled = new Map<string, CompiledRules>();
  private readonly building = new Map<string, Promise<CompiledRules>>();
  /** Automata built by this process (tests and the log). */
  builds = 0;

  constructor(private readonly rules: KeywordRulesRepository) {}

  async forOrg(orgId: string): Promise<CompiledRules> {
    const version = await this.rules.version(orgId);
    const known = this.compiled.get(orgId);
    if (known && known.version === version) {
      this.compiled.delete(orgId);
      this.compiled.set(orgId, known);
      return known;
    }
    if (version === '0') return EMPTY;
    const key = `${orgId} ${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(orgId, version).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  private async build(orgId: string, version: string): Promise<CompiledRules> {
    const started = Date.now();
    const rows = await this.rules.list(orgId, true);
    const matcher = new ChatMatcher(
      rows.map((r) => ({
        id: r.id,
        keywords: r.keywords,
        semantics: r.semantics as SemanticName[],
        appliesTo: r.appliesTo,
      })),
    );
    const compiled: CompiledRules = {
      version,
      matcher,
      departments: new Map(rows.map((r) => [r.id, r.departmentIds])),
    };
    // A newer version may have been stored by a concurrent build meanwhile: keep the newest.
    const current = this.compiled.get(orgId);
    if (!current || BigInt(current.version) < BigInt(version)) {
      this.compiled.delete(orgId);
      this.compiled.set(orgId, compiled);
      if (this.compiled.size > MAX_ORGANIZATIONS) this.compiled.delete(this.compiled.keys().next().value!);
    }
    this.builds++;
    this.logger.log({
      msg: 'keyword rules compiled',
      orgId,
      version,
      rules: rows.length,
      keywords: rows.reduce((n, r) => n + r.keywords.length, 0),
      ms: Date.now() - started,
    });
    return compiled;
  }
}
