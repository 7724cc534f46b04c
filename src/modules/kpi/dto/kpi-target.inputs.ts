import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsMonth } from 'src/core/validation/calendar.decorator';

/** The largest new-customers target of a month (far above any employee's or organization's). */
export const MAX_NEW_CUSTOMERS_TARGET = 10_000_000;
/** First response is counted within a day: a target above a day means nothing. */
export const MAX_FIRST_RESPONSE_TARGET_SECONDS = 86_400;

@InputType({
  description:
    'A month’s targets for one employee or one department (exactly one of the two). Each metric may be null ' +
    '(no target for it); all null removes the target.',
})
export class SetKpiTargetInput {
  @Field({ description: 'YYYY-MM, 2000-01 to 2100-12.' })
  @IsMonth()
  month: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string | null;

  @Field(() => Int, { nullable: true, description: `0 to ${MAX_NEW_CUSTOMERS_TARGET}.` })
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must be at least 0' })
  @Max(MAX_NEW_CUSTOMERS_TARGET, { message: `must be at most ${MAX_NEW_CUSTOMERS_TARGET}` })
  newCustomers?: number | null;

  @Field(() => Float, { nullable: true, description: '0 to 1.' })
  @IsOptional()
  @Min(0, { message: 'must be between 0 and 1' })
  @Max(1, { message: 'must be between 0 and 1' })
  replyRate?: number | null;

  @Field(() => Float, { nullable: true, description: `Seconds, 1 to ${MAX_FIRST_RESPONSE_TARGET_SECONDS}.` })
  @IsOptional()
  @Min(1, { message: `must be between 1 and ${MAX_FIRST_RESPONSE_TARGET_SECONDS} seconds` })
  @Max(MAX_FIRST_RESPONSE_TARGET_SECONDS, {
    message: `must be between 1 and ${MAX_FIRST_RESPONSE_TARGET_SECONDS} seconds`,
  })
  avgFirstResponseSeconds?: number | null;

  @Field(() => Float, { nullable: true, description: '0 to 1.' })
  @IsOptional()
  @Min(0, { message: 'must be between 0 and 1' })
  @Max(1, { message: 'must be between 0 and 1' })
  momentCompletionRate?: number | null;
}
