import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsOptional } from 'class-validator';

@InputType({ description: 'Either ids (at most 200, each one of your own notifications) or all: true.' })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(200, { message: 'at most 200 ids' })
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Marks every notification of yours read.' })
  @IsOptional()
  @IsBoolean()
  all?: boolean | null;
}
