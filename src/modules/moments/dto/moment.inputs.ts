import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { AttachmentType, InteractionKind, MomentStatus } from 'src/modules/moments/types/moment.types';
import { NotBlank } from 'src/core/validation/not-blank.decorator';

/** WeCom: a moment's text is at most 2000 characters. */
export const MAX_MOMENT_TEXT = 2000;
/** WeCom: at most 9 images. */
export const MAX_MOMENT_IMAGES = 9;
export const MAX_LINK_TITLE = 64;
export const MAX_URL = 2048;
/** Bounds the audience lists (each id is checked against the organization). */
export const MAX_AUDIENCE_IDS = 1000;
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

@InputType()
export class MomentAttachmentInput {
  @Field(() => AttachmentType)
  @IsEnum(AttachmentType, { message: 'must be IMAGE, VIDEO or LINK' })
  type: AttachmentType;

  @Field({ description: 'An http(s) URL.' })
  @IsString()
  @MaxChars(MAX_URL, { message: `must be at most ${MAX_URL} characters` })
  @Matches(HTTP_URL, { message: 'must be an http(s) URL' })
  url: string;

  @Field(() => String, { nullable: true, description: 'Required for a LINK; at most 64 characters.' })
  @IsOptional()
  @IsString()
  @MaxChars(MAX_LINK_TITLE, { message: `must be at most ${MAX_LINK_TITLE} characters` })
  title?: string | null;
}

@InputType()
export class MomentAudienceInput {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_AUDIENCE_IDS, { message: `must list at most ${MAX_AUDIENCE_IDS} employees` })
  @IsUUID('all', { each: true, message: 'must be employee ids' })
  employeeIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Everyone in these departments and their sub-departments.' })
  @IsOptional()
  @ArrayMaxSize(MAX_AUDIENCE_IDS, { message: `must list at most ${MAX_AUDIENCE_IDS} departments` })
  @IsUUID('all', { each: true, message: 'must be department ids' })
  departmentIds?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Each employee’s post is visible only to their ACTIVE customers having any of these tags.',
  })
  @IsOptional()
  @ArrayMaxSize(MAX_AUDIENCE_IDS, { message: `must list at most ${MAX_AUDIENCE_IDS} tags` })
  @IsUUID('all', { each: true, message: 'must be tag ids' })
  customerTagIds?: string[] | null;
}

@InputType()
export class MomentFilter {
  @Field(() => [MomentStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsEnum(MomentStatus, { each: true })
  status?: MomentStatus[] | null;

  @Field(() => Date, { nullable: true, description: 'Moments scheduled at or after this time.' })
  @IsOptional()
  @IsDateTime()
  scheduledFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Moments scheduled before this time.' })
  @IsOptional()
  @IsDateTime()
  scheduledTo?: Date | null;
}

@InputType()
export class CreateMomentInput {
  @Field({ description: 'At most 2000 characters, not blank.' })
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(MAX_MOMENT_TEXT, { message: `must be at most ${MAX_MOMENT_TEXT} characters` })
  @NotBlank()
  text: string;

  @Field(() => [MomentAttachmentInput], {
    nullable: true,
    description: 'Up to 9 IMAGEs, or exactly one VIDEO, or exactly one LINK (with a title); kinds never mix.',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => MomentAttachmentInput)
  attachments?: MomentAttachmentInput[] | null;

  @Field(() => MomentAudienceInput)
  @ValidateNested()
  @Type(() => MomentAudienceInput)
  audience: MomentAudienceInput;

  @Field(() => Date, {
    nullable: true,
    description: 'Null keeps the moment a DRAFT. A time in the past is BAD_USER_INPUT.',
  })
  @IsOptional()
  @IsDateTime()
  scheduledAt?: Date | null;
}

@InputType({
  description:
    'Changes what is given (only DRAFT or SCHEDULED moments; otherwise CONFLICT). Lists given replace the current ones.',
})
export class UpdateMomentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a moment id' })
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(MAX_MOMENT_TEXT, { message: `must be at most ${MAX_MOMENT_TEXT} characters` })
  @NotBlank()
  text?: string | null;

  @Field(() => [MomentAttachmentInput], {
    nullable: true,
    description: 'Replaces the attachments; [] removes them all.',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => MomentAttachmentInput)
  attachments?: MomentAttachmentInput[] | null;

  @Field(() => MomentAudienceInput, { nullable: true, description: 'Replaces the whole audience.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MomentAudienceInput)
  audience?: MomentAudienceInput | null;
}

@InputType()
export class ScheduleMomentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a moment id' })
  id: string;

  @Field(() => Date, { description: 'Must not be in the past.' })
  @IsDateTime()
  scheduledAt: Date;
}

/** A comment's text: at most this many characters. */
export const MAX_COMMENT_TEXT = 2000;
export const MAX_INTERACTION_EXTERNAL_ID = 128;

@InputType({
  description:
    'A like or comment a channel reports on an employee’s post of a PUBLISHED moment, by one of the customers it reached. ' +
    'Repeating an externalId, or a like of the same customer on the same post, records nothing more.',
})
export class RecordMomentInteractionInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a moment id' })
  momentId: string;

  @Field(() => ID, { description: 'The employee whose post it was (they must have a task for the moment).' })
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId: string;

  @Field(() => ID, {
    description: 'One of the employee’s ACTIVE customers having any of the moment’s tags (when it has tags).',
  })
  @IsUUID('all', { message: 'must be a customer id' })
  customerId: string;

  @Field(() => InteractionKind)
  @IsEnum(InteractionKind, { message: 'must be LIKE or COMMENT' })
  kind: InteractionKind;

  @Field(() => String, {
    nullable: true,
    description: 'A COMMENT’s text (required, at most 2000 characters); a LIKE has none.',
  })
  @IsOptional()
  @IsString()
  @MaxChars(MAX_COMMENT_TEXT, { message: `must be at most ${MAX_COMMENT_TEXT} characters` })
  text?: string | null;

  @Field(() => Date, { nullable: true, description: 'When it happened (default: now); not in the future.' })
  @IsOptional()
  @IsDateTime()
  occurredAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'The channel’s id of the like or comment: a repeat records nothing.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxChars(MAX_INTERACTION_EXTERNAL_ID, { message: `must be at most ${MAX_INTERACTION_EXTERNAL_ID} characters` })
  externalId?: string | null;
}
