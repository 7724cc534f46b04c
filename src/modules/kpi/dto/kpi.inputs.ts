import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, IsUUID } from 'class-validator';
import { DateScalar } from 'src/core/graphql/scalars';

/** The most employees a dashboard may list by id (a department covers more). */
export const MAX_KPI_EMPLOYEE_IDS = 500;

@InputType()
export class KpiDashboardInput {
  @Field(() => DateScalar, { description: 'First day, in the organization time zone.' })
  from: string;

  @Field(() => DateScalar, { description: 'Last day (inclusive); at most 366 days after `from`.' })
  to: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Only the employees of this department and its sub-departments (within your data scope).',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Only these employees (each within your data scope).' })
  @IsOptional()
  @ArrayMaxSize(MAX_KPI_EMPLOYEE_IDS, { message: `must list at most ${MAX_KPI_EMPLOYEE_IDS} employees` })
  @IsUUID('all', { each: true, message: 'must be employee ids' })
  employeeIds?: string[] | null;
}
