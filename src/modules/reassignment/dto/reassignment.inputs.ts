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
  ValidateNested,
} from 'class-validator';
import { MaxChars } from 'src/core/validation/max-chars.decorator';
import { DistributionStrategy, TransferKind } from 'src/modules/reassignment/types/reassignment.types';

@InputType()
export class TakeoverInput {
  @Field(() => DistributionStrategy)
  @IsEnum(DistributionStrategy)
  strategy: DistributionStrategy;

  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'must name at least one takeover employee' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'must be employee ids' })
  takeoverEmployeeIds: string[];
}

@InputType()
export class DepartEmployeeInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId: string;

  @Field(() => TakeoverInput)
  @ValidateNested()
  @Type(() => TakeoverInput)
  takeover: TakeoverInput;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(500)
  message?: string;
}

@InputType()
export class TransferCustomersInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an employee id' })
  fromEmployeeId: string;

  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'must list at least one customer' })
  @ArrayMaxSize(20000, { message: 'must list at most 20000 customers' })
  @IsUUID('all', { each: true, message: 'must be customer ids' })
  customerIds: string[];

  @Field(() => TakeoverInput)
  @ValidateNested()
  @Type(() => TakeoverInput)
  takeover: TakeoverInput;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(500)
  message?: string;
}

@InputType()
export class PreviewHandoverInput {
  @Field(() => TransferKind)
  @IsEnum(TransferKind)
  kind: TransferKind;

  @Field(() => ID)
  @IsUUID('all', { message: 'must be an employee id' })
  fromEmployeeId: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'ON_JOB: the chosen customers. DEPARTURE: ignored (all active customers).',
  })
  @IsOptional()
  @ArrayMaxSize(20000)
  @IsUUID('all', { each: true, message: 'must be customer ids' })
  customerIds?: string[];

  @Field(() => TakeoverInput)
  @ValidateNested()
  @Type(() => TakeoverInput)
  takeover: TakeoverInput;
}

@InputType()
export class RecordTransferResponseInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a transfer id' })
  transferId: string;

  @Field()
  @IsBoolean()
  accepted: boolean;
}

@InputType()
export class HandoverFilter {
  @Field(() => TransferKind, { nullable: true })
  @IsOptional()
  @IsEnum(TransferKind)
  kind?: TransferKind;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  fromEmployeeId?: string;
}

