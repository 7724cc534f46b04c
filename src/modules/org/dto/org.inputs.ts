import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PasswordField } from 'src/core/security/password-policy.service';
import { MaxChars } from 'src/core/validation/max-chars.decorator';
import { DataScopeKind, EmployeeStatus } from 'src/modules/org/types/org.types';
import { NotBlank } from 'src/core/validation/not-blank.decorator';

export const MAX_DEPARTMENT_NAME = 100;
const ROLE_RE = /^[a-z][a-z0-9_-]{1,63}$/;

@InputType()
export class UpdateOrganizationSettingsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(64)
  timezone?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  transferAcceptanceMinutes?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  onJobTransferLimit?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  onJobTransferWindowDays?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  momentTaskExpiryHours?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  chatRetentionDays?: number | null;
}

@InputType()
export class CreateDepartmentInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxChars(MAX_DEPARTMENT_NAME)
  @NotBlank()
  name: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  parentId?: string;
}

@InputType()
export class UpdateDepartmentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a department id' })
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxChars(MAX_DEPARTMENT_NAME)
  @NotBlank()
  name?: string;

  @Field(() => ID, { nullable: true, description: 'Moves the department under this parent (cycles are refused).' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  parentId?: string;
}

@InputType()
export class EmployeeFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  @IsOptional()
  @IsBoolean()
  includeSubDepartments?: boolean;

  @Field(() => [EmployeeStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsEnum(EmployeeStatus, { each: true })
  status?: EmployeeStatus[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(64)
  role?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  search?: string;
}

@InputType()
export class CreateEmployeeInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxChars(200)
  @NotBlank()
  name: string;

  @Field()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxChars(254)
  email: string;

  @Field(() => String, {
    nullable: true,
    description: 'Without one the employee cannot log in. Same policy as signUp.',
  })
  @IsOptional()
  @PasswordField()
  password?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(100)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxChars(128)
  externalId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(ROLE_RE, { each: true, message: 'must be role names' })
  roles?: string[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  customerCapacity?: number;
}

@InputType()
export class UpdateEmployeeInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an employee id' })
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxChars(200)
  @NotBlank()
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(100)
  title?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string;

  @Field(() => String, { nullable: true, description: 'The WeCom userid; empty clears it.' })
  @IsOptional()
  @IsString()
  @MaxChars(128)
  externalId?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(ROLE_RE, { each: true, message: 'must be role names' })
  roles?: string[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  customerCapacity?: number;

  @Field(() => EmployeeStatus, { nullable: true })
  @IsOptional()
  @IsEnum(EmployeeStatus)
  status?: EmployeeStatus;

  @Field(() => String, {
    nullable: true,
    description: "A new password (same policy as signUp); ends the employee's sessions.",
  })
  @IsOptional()
  @PasswordField()
  password?: string;
}

@InputType()
export class RoleInput {
  @Field()
  @Matches(ROLE_RE, { message: 'must be 2-64 lowercase letters, digits, - or _, starting with a letter' })
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(300)
  description?: string;

  @Field(() => DataScopeKind)
  @IsEnum(DataScopeKind)
  dataScope: DataScopeKind;

  @Field(() => [String], { description: 'resource:action pairs from the permission catalog.' })
  @ArrayMaxSize(200)
  @MaxChars(64, { each: true })
  @Matches(/^[a-zA-Z]+:[a-zA-Z]+$/, { each: true, message: 'must be resource:action pairs' })
  permissions: string[];
}

@InputType()
export class UpdateRoleInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a role id' })
  id: string;

  @Field(() => RoleInput)
  @ValidateNested()
  @Type(() => RoleInput)
  role: RoleInput;
}
