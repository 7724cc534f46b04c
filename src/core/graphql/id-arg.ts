import { PipeTransform } from '@nestjs/common';
import { Args, ID } from '@nestjs/graphql';
import { isUUID } from 'class-validator';
import { AppError } from 'src/core/errors/app-error';

/** Refuses a malformed id before any SQL sees it (PostgreSQL would fail the whole statement on a non-uuid). */
class IdPipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly noun: string,
    private readonly name: string,
  ) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUUID(value, 'all'))
      throw AppError.badInput(this.name, `must be ${this.noun} id`);
    return value;
  }
}

/**
 * The `id: ID!` argument (or another one, `name`) of a root field, checked to
 * be a well-formed id: a malformed one is BAD_USER_INPUT naming the argument
 * ("id: must be a customer id"). `noun` is the thing with its article, e.g.
 * `a customer`, `an API key`.
 */
export function IdArg(noun: string, name = 'id'): ParameterDecorator {
  return Args(name, { type: () => ID }, new IdPipe(noun, name));
}
