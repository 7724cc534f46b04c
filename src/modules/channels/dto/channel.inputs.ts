import { Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MinLength,
} from 'class-validator';
import { MaxChars } from 'src/core/validation/max-chars.decorator';
import { STATE_RE } from 'src/modules/channels/services/channel-rules';
import { NotBlank } from 'src/core/validation/not-blank.decorator';

/** WeCom's contact way serves at most 100 employees. */
export const MAX_CHANNEL_EMPLOYEES = 100;
export const MAX_CHANNEL_TAGS = 100;
export const MAX_WELCOME_MESSAGE = 4000;

@InputType()
export class ChannelFilter {
  @Field(() => String, { nullable: true, description: 'Substring of the name or the state (case-insensitive).' })
  @IsOptional()
  @IsString()
  @MaxChars(100)
  search?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only archived channels; false: only live ones; omitted: both.',
  })
  @IsOptional()
  @IsBoolean()
  archived?: boolean;

  @Field(() => ID, { nullable: true, description: 'Channels served by this employee.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId?: string;
}

@InputType()
export class CreateChannelInput {
  @Field()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(100, { message: 'must be at most 100 characters' })
  @NotBlank()
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'The attribution code (1-30 of A-Z a-z 0-9 _ -), unique in the organization. Generated (ch_xxxxxxxx) when omitted.',
  })
  @IsOptional()
  @IsString()
  @Matches(STATE_RE, { message: 'must be 1-30 letters, digits, _ or -' })
  state?: string;

  @Field(() => [ID], { description: 'Active employees who serve the channel (at least one, at most 100).' })
  @ArrayMinSize(1, { message: 'must list at least one employee' })
  @ArrayMaxSize(MAX_CHANNEL_EMPLOYEES, { message: `must list at most ${MAX_CHANNEL_EMPLOYEES} employees` })
  @IsUUID('all', { each: true, message: 'must be employee ids' })
  employeeIds: string[];

  @Field(() => [ID], { nullable: true, description: 'Tags given to every customer added through the channel.' })
  @IsOptional()
  @ArrayMaxSize(MAX_CHANNEL_TAGS, { message: `must list at most ${MAX_CHANNEL_TAGS} tags` })
  @IsUUID('all', { each: true, message: 'must be tag ids' })
  tagIds?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(MAX_WELCOME_MESSAGE, { message: `must be at most ${MAX_WELCOME_MESSAGE} characters` })
  welcomeMessage?: string;
}

@InputType({ description: 'Changes what is given; lists given replace the current ones. The state never changes.' })
export class UpdateChannelInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a channel id' })
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(100, { message: 'must be at most 100 characters' })
  @NotBlank()
  name?: string;

  @Field(() => [ID], { nullable: true, description: 'Replaces the employees (at least one).' })
  @IsOptional()
  @ArrayMinSize(1, { message: 'must list at least one employee' })
  @ArrayMaxSize(MAX_CHANNEL_EMPLOYEES, { message: `must list at most ${MAX_CHANNEL_EMPLOYEES} employees` })
  @IsUUID('all', { each: true, message: 'must be employee ids' })
  employeeIds?: string[];

  @Field(() => [ID], { nullable: true, description: 'Replaces the tags; [] removes them all.' })
  @IsOptional()
  @ArrayMaxSize(MAX_CHANNEL_TAGS, { message: `must list at most ${MAX_CHANNEL_TAGS} tags` })
  @IsUUID('all', { each: true, message: 'must be tag ids' })
  tagIds?: string[];

  @Field(() => String, { nullable: true, description: 'null or "" removes the welcome message.' })
  @IsOptional()
  @IsString()
  @MaxChars(MAX_WELCOME_MESSAGE, { message: `must be at most ${MAX_WELCOME_MESSAGE} characters` })
  welcomeMessage?: string | null;
}
