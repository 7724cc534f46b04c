import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, PasswordField } from 'src/core/security/password-policy.service';
import { MaxChars } from 'src/core/validation/max-chars.decorator';
import { NotBlank } from 'src/core/validation/not-blank.decorator';

@InputType()
export class SignUpInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxChars(200)
  @NotBlank()
  organizationName: string;

  @Field()
  @Matches(/^[a-z0-9-]{3,40}$/, { message: 'must be 3-40 lowercase letters, digits or -' })
  slug: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxChars(64)
  timezone?: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxChars(200)
  @NotBlank()
  adminName: string;

  @Field()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxChars(254)
  adminEmail: string;

  @Field({
    description:
      'At least 8 characters and hard to guess (not common, not built from your e-mail, name or organization).',
  })
  @PasswordField()
  adminPassword: string;
}

@InputType()
export class LoginInput {
  @Field()
  @IsString()
  @MaxChars(40)
  slug: string;

  @Field()
  @IsString()
  @MaxChars(254)
  email: string;

  @Field()
  @IsString()
  @MaxChars(MAX_PASSWORD_LENGTH)
  password: string;
}

@InputType()
export class ChangeMyPasswordInput {
  @Field()
  @IsString()
  @MaxChars(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @Field({
    description:
      'At least 8 characters and hard to guess (not common, not built from your e-mail, name or organization).',
  })
  @PasswordField()
  newPassword: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxChars(100)
  @NotBlank()
  name: string;

  @Field(() => [String])
  @ArrayMinSize(1, { message: 'must name at least one role' })
  @ArrayMaxSize(20)
  @Matches(/^[a-z][a-z0-9_-]{1,63}$/, { each: true, message: 'must be role names' })
  roles: string[];
}
