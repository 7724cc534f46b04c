import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsDateTime } from 'src/core/validation/calendar.decorator';
import { MaxChars } from 'src/core/validation/max-chars.decorator';
import {
  AddWay,
  CustomerOrderField,
  CustomerStage,
  NoteKind,
  OrderDirection,
  RelationEndedBy,
} from 'src/modules/customers/types/customer.types';
import { NotBlank } from 'src/core/validation/not-blank.decorator';

/** Mainland mobiles (optionally +86), or international numbers in E.164; spaces and dashes allowed. */
export const PHONE_RE = /^\+?[0-9][0-9 \-()]{4,24}$/;
export const MAX_BULK_IDS = 1000;
/** Tags one customer may hold (customers.tag_ids is an array on the row): tagging past it is CONFLICT. */
export const MAX_TAGS_PER_CUSTOMER = 100;

@InputType()
export class CustomerFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Substring of name, company, a relation remark or, where the viewer sees it unmasked, the phone (Chinese or English).',
  })
  @IsOptional()
  @IsString()
  @MaxChars(100)
  search?: string;

  @Field(() => [CustomerStage], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsEnum(CustomerStage, { each: true })
  stages?: CustomerStage[];

  @Field(() => [ID], { nullable: true, description: 'Customers having any of these tags.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'must be tag ids' })
  tagIds?: string[];

  @Field(() => [ID], { nullable: true, description: 'Customers with an active relation to any of these employees.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'must be employee ids' })
  employeeIds?: string[];

  @Field(() => ID, {
    nullable: true,
    description: 'Customers with an active relation to an employee of this department tree.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string;

  @Field(() => Date, { nullable: true, description: 'A relation was added at or after this time.' })
  @IsOptional()
  @IsDateTime()
  addedAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'A relation was added before this time.' })
  @IsOptional()
  @IsDateTime()
  addedBefore?: Date;

  @Field(() => String, { nullable: true, description: 'A relation was added through the channel with this state.' })
  @IsOptional()
  @IsString()
  @MaxChars(64)
  state?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Customers with no active relation (e.g. refused a transfer after a departure).',
  })
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;
}

@InputType()
export class CustomerOrder {
  @Field(() => CustomerOrderField)
  @IsEnum(CustomerOrderField)
  field: CustomerOrderField;

  @Field(() => OrderDirection)
  @IsEnum(OrderDirection)
  direction: OrderDirection;
}

@InputType()
export class CustomerInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxChars(128)
  externalId?: string;

  @Field()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(200, { message: 'must be at most 200 characters' })
  @NotBlank()
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(200, { message: 'must be at most 200 characters' })
  company?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE_RE, { message: 'must be a phone number such as 13812345678 or +44 20 7946 0958' })
  phone?: string;

  @Field(() => CustomerStage, { nullable: true })
  @IsOptional()
  @IsEnum(CustomerStage)
  stage?: CustomerStage;
}

@InputType()
export class CreateCustomerInput {
  @Field(() => CustomerInput)
  @ValidateNested()
  @Type(() => CustomerInput)
  customer: CustomerInput;

  @Field(() => ID)
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId: string;

  @Field(() => AddWay, { nullable: true, defaultValue: AddWay.OTHER })
  @IsOptional()
  @IsEnum(AddWay)
  addWay?: AddWay;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(64)
  state?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  remark?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'must be tag ids' })
  tagIds?: string[];
}

@InputType()
export class UpdateCustomerInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a customer id' })
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(200, { message: 'must be at most 200 characters' })
  @NotBlank()
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(200, { message: 'must be at most 200 characters' })
  company?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE_RE, { message: 'must be a phone number such as 13812345678 or +44 20 7946 0958' })
  phone?: string;

  @Field(() => CustomerStage, { nullable: true })
  @IsOptional()
  @IsEnum(CustomerStage)
  stage?: CustomerStage;
}

@InputType({ description: 'A channel or connector reports that a customer added an employee.' })
export class RecordCustomerAddedInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(128)
  employeeExternalId?: string;

  @Field(() => CustomerInput)
  @ValidateNested()
  @Type(() => CustomerInput)
  customer: CustomerInput;

  @Field(() => AddWay)
  @IsEnum(AddWay)
  addWay: AddWay;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(64)
  state?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  remark?: string;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDateTime()
  addedAt?: Date;
}

@InputType()
export class RecordRelationEndedInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a relation id' })
  relationId: string;

  @Field(() => RelationEndedBy)
  @IsEnum(RelationEndedBy)
  endedBy: RelationEndedBy;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDateTime()
  endedAt?: Date;
}

@InputType()
export class TagCustomersInput {
  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'must list at least one customer' })
  @ArrayMaxSize(MAX_BULK_IDS, { message: `must list at most ${MAX_BULK_IDS} customers` })
  @IsUUID('all', { each: true, message: 'must be customer ids' })
  customerIds: string[];

  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'must list at least one tag' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'must be tag ids' })
  tagIds: string[];
}

@InputType()
export class CreateTagGroupInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxChars(64)
  @NotBlank()
  name: string;

  @Field(() => [String])
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'must not contain empty names' })
  @MaxChars(64, { each: true, message: 'must be names of at most 64 characters' })
  tagNames: string[];
}

@InputType()
export class AddCustomerNoteInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a customer id' })
  customerId: string;

  @Field(() => NoteKind, { nullable: true, defaultValue: NoteKind.NOTE })
  @IsOptional()
  @IsEnum(NoteKind)
  kind?: NoteKind;

  @Field()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(5000)
  @NotBlank()
  body: string;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDateTime()
  dueAt?: Date;
}

@InputType({ description: 'Which lost customers to list: relations their customer ended in [from, to).' })
export class LostCustomersFilter {
  @Field(() => Date)
  @IsDateTime()
  from: Date;

  @Field(() => Date)
  @IsDateTime()
  to: Date;

  @Field(() => ID, { nullable: true, description: 'Only employees of this department tree.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string;

  @Field(() => ID, { nullable: true, description: 'Only this employee.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId?: string;
}
