import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { getJobHandlerMetadata, JobHandlerMetadata, JobProcessor } from './job-handler.decorator';
import { isValidJobName, parseJobName } from './job-names';

/** A job name some module promised to handle (QueueModule.forFeature). */
export interface DeclaredJob {
  name: string;
  /** Who declared it, for error messages. */
  source: string;
}

/** A discovered @JobHandler provider. */
export interface RegisteredJob {
  name: string;
  /** `<HandlerClass> in <ModuleClass>`, for error messages. */
  source: string;
  meta: JobHandlerMetadata;
  instance: JobProcessor;
}

export class JobRegistryError extends Error {
  constructor(readonly problems: string[]) {
    super(`Job registry is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JobRegistryError';
  }
}

/**
 * Checks declarations against handlers and returns the handlers by name.
 * Throws JobRegistryError listing every problem: a malformed name, a declared
 * name without handler, a name claimed by two handlers. A handler nobody
 * declared is fine (declarations are the feature's promise, not a whitelist).
 */
export function validateRegistry<H extends { name: string; source: string }>(
  declared: readonly DeclaredJob[],
  handlers: readonly H[],
): Map<string, H> {
  const problems: string[] = [];
  const byName = new Map<string, H[]>();
  for (const h of handlers) {
    if (!isValidJobName(h.name)) {
      problems.push(
        `${h.source} handles invalid job name ${JSON.stringify(h.name)} (expected "<feature>.<verb-noun>")`,
      );
      continue;
    }
    byName.set(h.name, [...(byName.get(h.name) ?? []), h]);
  }
  for (const [name, list] of byName) {
    if (list.length > 1) {
      problems.push(
        `job "${name}" has ${list.length} handlers (${list.map((h) => h.source).join(', ')}); exactly one is allowed`,
      );
    }
  }
  const reported = new Set<string>();
  for (const d of declared) {
    if (!isValidJobName(d.name)) {
      problems.push(
        `${d.source} declares invalid job name ${JSON.stringify(d.name)} (expected "<feature>.<verb-noun>")`,
      );
    } else if (!byName.has(d.name) && !reported.has(d.name)) {
      reported.add(d.name);
      problems.push(
        `job "${d.name}" is declared by ${d.source} but no provider is decorated with @JobHandler('${d.name}')`,
      );
    }
  }
  if (problems.length) throw new JobRegistryError(problems);
  return new Map([...byName].map(([name, list]) => [name, list[0]]));
}

/**
 * Holds the job names a feature module declares. QueueModule.forFeature()
 * provides one instance per call under a unique token; the registry finds them
 * all with the DiscoveryService (Nest has no multi-providers).
 */
export class JobDeclaration {
  constructor(
    readonly names: readonly string[],
    readonly source: string,
  ) {}
}

@Module({})
export class QueueFeatureModule {}

let declarationCounter = 0;

/** Implementation of QueueModule.forFeature (kept here beside the registry). */
export function queueFeatureModule(names: readonly string[], source?: string): DynamicModule {
  for (const name of names) parseJobName(name); // fail at import time on a malformed name
  const token = Symbol(`JobDeclaration#${++declarationCounter}`);
  return {
    module: QueueFeatureModule,
    providers: [
      {
        provide: token,
        useValue: new JobDeclaration([...names], source ?? `QueueModule.forFeature([${names.join(', ')}])`),
      },
    ],
  };
}

/**
 * Every @JobHandler provider of the application, validated once at boot
 * (onModuleInit), so a missing or duplicated handler fails the boot of both
 * the API and the worker process.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private jobs?: Map<string, RegisteredJob>;

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.load();
  }

  /** The handler of a job name, or undefined. */
  get(name: string): RegisteredJob | undefined {
    return this.load().get(name);
  }

  all(): RegisteredJob[] {
    return [...this.load().values()];
  }

  /** Handlers grouped by feature (one BullMQ queue per feature). */
  byFeature(): Map<string, RegisteredJob[]> {
    const out = new Map<string, RegisteredJob[]>();
    for (const job of this.load().values()) {
      out.set(job.meta.feature, [...(out.get(job.meta.feature) ?? []), job]);
    }
    return out;
  }

  private load(): Map<string, RegisteredJob> {
    if (this.jobs) return this.jobs;
    const declared: DeclaredJob[] = [];
    const handlers: RegisteredJob[] = [];
    const problems: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof JobDeclaration) {
        for (const name of instance.names) declared.push({ name, source: instance.source });
        continue;
      }
      const meta = getJobHandlerMetadata(wrapper.metatype);
      if (!meta) continue;
      const source = `${wrapper.metatype?.name ?? String(wrapper.token)} in ${wrapper.host?.metatype?.name ?? '?'}`;
      if (!wrapper.isDependencyTreeStatic() || !instance) {
        problems.push(
          `${source} handles "${meta.name}" but is not a singleton provider (request/transient scope is not supported)`,
        );
        continue;
      }
      if (typeof (instance as JobProcessor).handle !== 'function') {
        problems.push(`${source} handles "${meta.name}" but has no handle(payload, ctx) method`);
        continue;
      }
      handlers.push({ name: meta.name, source, meta, instance: instance as JobProcessor });
    }
    if (problems.length) throw new JobRegistryError(problems);
    this.jobs = validateRegistry(declared, handlers);
    return this.jobs;
  }
}
