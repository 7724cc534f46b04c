import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationError } from 'class-validator';
import { AppError, FieldProblem } from 'src/core/errors/app-error';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object]);

function flatten(errors: ValidationError[], prefix: string, out: FieldProblem[]): void {
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`;
    // class-validator's default messages start with the property name; custom ones do not.
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({
        field: path,
        message: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message,
      });
    }
    if (e.children?.length) flatten(e.children, path, out);
  }
}

/**
 * Validates every GraphQL input object against its class-validator rules and
 * reports all problems at once as BAD_USER_INPUT with field paths
 * (`input.slug: must match ...`).
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  /** Whether a class declares validation rules (input types do; parents, context and actors do not). */
  private readonly validated = new WeakMap<object, boolean>();

  private hasRules(type: new (...args: unknown[]) => unknown): boolean {
    let known = this.validated.get(type);
    if (known === undefined) {
      known = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
      this.validated.set(type, known);
    }
    return known;
  }

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (
      metadata.type === 'custom' ||
      !type ||
      PRIMITIVES.has(type) ||
      value === null ||
      value === undefined ||
      typeof value !== 'object'
    )
      return value;
    // Field resolvers receive their parent object here too: only classes with rules are transformed and checked.
    if (!this.hasRules(type as new (...args: unknown[]) => unknown)) return value;
    const instance = plainToInstance(type, value);
    const errors = await validate(instance as object, { forbidUnknownValues: false });
    if (errors.length) {
      const problems: FieldProblem[] = [];
      flatten(errors, metadata.data ?? 'input', problems);
      throw AppError.invalid(problems);
    }
    return instance;
  }
}
