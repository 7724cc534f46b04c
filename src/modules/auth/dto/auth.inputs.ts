import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, PasswordField } from '../../../core/security/password-policy.service';

@InputType()
export class SignUpInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  organizationName: string;

  @Field()
  @Matches(/^[a-z0-9-]{3,40}$/, { message: 'must be 3-40 lowercase letters, digits or -' })
  slug: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  adminName: string;

  @Field()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  adminEmail: string;

  @Field({ description: 'At least 8 characters and hard to guess (not common, not built from your e-mail, name or organization).' })
  @PasswordField()
  adminPassword: string;
}

@InputType()
export class LoginInput {
  @Field()
  @IsString()
  @MaxLength(40)
  slug: string;

  @Field()
  @IsString()
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

@InputType()
export class ChangeMyPasswordInput {
  @Field()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @Field({ description: 'At least 8 characters and hard to guess (not common, not built from your e-mail, name or organization).' })
  @PasswordField()
  newPassword: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field(() => [String])
  @ArrayMinSize(1, { message: 'must name at least one role' })
  @ArrayMaxSize(20)
  @Matches(/^[a-z][a-z0-9_-]{1,63}$/, { each: true, message: 'must be role names' })
  roles: string[];
}
